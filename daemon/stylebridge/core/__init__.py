"""Tensors in, tensors out: VGG features, losses, networks, tiling. No I/O policy, no sockets."""
