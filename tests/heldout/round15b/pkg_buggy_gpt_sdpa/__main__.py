import torch

from .model import GPT, GPTConfig
from .sample import generate

torch.manual_seed(0)
model = GPT(GPTConfig())
data = torch.randint(0, 64, (1000,))
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
for it in range(3):
    ix = torch.randint(len(data) - 17, (4,))
    x = torch.stack([data[i:i + 16] for i in ix])
    y = torch.stack([data[i + 1:i + 17] for i in ix])
    _, loss = model(x, y)
    opt.zero_grad(); loss.backward(); opt.step()
    print(it, loss.item())
print(generate(model, x[:1, :4], 6, top_k=5).tolist())
