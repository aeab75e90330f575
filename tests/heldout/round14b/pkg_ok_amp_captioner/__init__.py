"""Image captioning (grid features -> caption) trained with torch.autocast."""
