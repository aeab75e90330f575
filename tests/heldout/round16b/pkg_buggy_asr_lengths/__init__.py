from .encoder import SpeechEncoder
