"""Toy English->German translation with nn.Transformer; fixed-width batches for static shapes."""
