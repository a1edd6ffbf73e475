#!/bin/sh
# Removes files older than a day from /var/tmp.
find /var/tmp -mtime +1 -delete
