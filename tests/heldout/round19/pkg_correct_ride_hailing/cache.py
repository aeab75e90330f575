import torch


class LayerCache:
    """Keys/values for one layer plus the key-side keep mask (True = real token)."""

    def __init__(self):
        self.k = None
        self.v = None
        self.keep = None

    def append(self, k, v, keep):
        if self.k is None:
            self.k, self.v, self.keep = k, v, keep
        else:
            self.k = torch.cat([self.k, k], dim=2)
            self.v = torch.cat([self.v, v], dim=2)
            self.keep = torch.cat([self.keep, keep], dim=1)
        return self.k, self.v, self.keep
