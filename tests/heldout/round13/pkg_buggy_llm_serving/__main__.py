import torch

from .engine import generate
from .modeling import TinyChatLM


def main():
    torch.manual_seed(0)
    model = TinyChatLM().eval()
    prompts = [[5, 17, 99, 4, 250, 12], [7, 8], [300, 301, 302, 303]]
    print("fp32:", generate(model, prompts)[:, -8:].tolist())
    model = model.half()  # serving dtype
    try:
        print("fp16:", generate(model, prompts)[:, -8:].tolist())
    except FloatingPointError as err:
        print("fp16 generation failed:", err)


if __name__ == "__main__":
    main()
