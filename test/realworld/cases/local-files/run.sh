# Pretends to serve the directory given as $1.
echo "serving $1"
exec sleep infinity
