"""The daemon: wire protocol, request loop, job queue and model cache."""
