from .model import Captioner
