"""Supervised fine-tuning on packed support-chat transcripts with FlexAttention."""
