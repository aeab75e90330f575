from .model import RegexSynthesizer
