"""Text-line OCR: CNN features + transformer decoder, with an fp16 inference path."""
