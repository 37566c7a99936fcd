"""Style and content losses: pure functions on VGG feature tensors, one module per family."""
