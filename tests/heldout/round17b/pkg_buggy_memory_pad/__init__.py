"""Video captioning for clips of different lengths (frame features in, sentence out)."""
