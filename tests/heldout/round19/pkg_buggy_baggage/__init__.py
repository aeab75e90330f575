"""Airport baggage analytics: next-scanner prediction and misconnect risk for transfer bags."""
from .tracking import ScanSequenceModel, SCANNERS
from .misconnect import MisconnectScorer
