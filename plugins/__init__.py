"""The editor plugins, shipped as package data so `stylebridge install` can copy them."""
