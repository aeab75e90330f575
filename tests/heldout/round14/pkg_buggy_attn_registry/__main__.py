import torch

from . import LMConfig, TinyLM, available_impls


def main() -> None:
    torch.manual_seed(0)
    data = torch.randint(0, 256, (4, 33))
    for impl in available_impls():
        cfg = LMConfig.from_dict({"n_layers": 2, "attention": {"impl": impl, "n_heads": 4}})
        model = TinyLM(cfg)
        opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
        loss = model.loss(data)
        loss.backward()
        opt.step()
        print(f"{impl:10s} loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
