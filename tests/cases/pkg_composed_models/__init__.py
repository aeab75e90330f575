"""Models composed in files that mention no mask: the attention layers live in other modules."""
