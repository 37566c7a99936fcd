"""`stylebridge install`: find the editors, copy the plugins and the shared client into them."""
