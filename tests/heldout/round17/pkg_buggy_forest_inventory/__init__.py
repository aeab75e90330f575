"""Plot-level carbon estimation from forest inventory tree lists."""
from .model import PlotCarbonModel
from .train import batches, fit
