"""Training: data split and label report, encoder cache, masked multi-task loop, validation
metrics, resumable state, DDP, the gradient check, and the shipped default model."""
