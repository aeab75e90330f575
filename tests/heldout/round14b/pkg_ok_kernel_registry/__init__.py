"""Query/passage bi-encoder for retrieval with a registry of attention kernels."""
