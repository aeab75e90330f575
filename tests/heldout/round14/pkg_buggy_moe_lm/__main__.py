import torch

from . import MoEConfig, MoELanguageModel


def main() -> None:
    torch.manual_seed(0)
    model = MoELanguageModel(MoEConfig())
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    batch = torch.randint(0, 1000, (4, 24))
    for step in range(3):
        loss = model.training_loss(batch)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"step {step} loss {loss.item():.4f}")
    print("sample", model.eval().generate(batch[:1, :5], 5).tolist())


if __name__ == "__main__":
    main()
