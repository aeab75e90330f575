"""Voice-assistant intent classification from ASR transcripts."""
