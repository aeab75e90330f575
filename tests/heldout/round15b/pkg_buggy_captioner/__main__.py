import torch

from .model import Captioner

torch.manual_seed(0)
model = Captioner()
images = torch.randn(2, 3, 16, 16)
captions = torch.randint(2, 50, (2, 7))
opt = torch.optim.Adam(model.parameters(), 1e-3)
for step in range(3):
    loss = model.loss(images, captions)
    opt.zero_grad(); loss.backward(); opt.step()
    print("loss", round(loss.item(), 4))
print(model.caption(images).tolist())
