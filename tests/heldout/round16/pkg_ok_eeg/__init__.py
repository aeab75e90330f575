from .lit import SleepStager
