/* The default package set's `hello`: prints a greeting, like GNU hello, and
   is a real program linked against the C library, so that an image holding
   it needs its ELF interpreter and libc to run. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  const char *greeting = "Hello, world!";
  for (int i = 1; i < argc; i++) {
    if ((strcmp(argv[i], "-g") == 0 || strcmp(argv[i], "--greeting") == 0) && i + 1 < argc) {
      greeting = argv[++i];
    } else if (strncmp(argv[i], "--greeting=", 11) == 0) {
      greeting = argv[i] + 11;
    } else if (strcmp(argv[i], "--version") == 0) {
      puts("hello (tsportable's default package set) 1.0");
      return 0;
    } else {
      fprintf(stderr, "hello: unknown option '%s'\n", argv[i]);
      return 1;
    }
  }
  puts(greeting);
  return 0;
}
