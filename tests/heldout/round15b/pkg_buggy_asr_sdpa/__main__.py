import torch
import torch.nn.functional as F

from .model import StreamingASR

torch.manual_seed(0)
model = StreamingASR()
feats = torch.randn(2, 20, 40)
lengths = torch.tensor([20, 14])
targets = torch.randint(1, 30, (2, 6))
logp = model(feats, lengths)
loss = F.ctc_loss(logp.transpose(0, 1), targets, lengths, torch.tensor([6, 5]))
print("ctc loss", loss.item())
