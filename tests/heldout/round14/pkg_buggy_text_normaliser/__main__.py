import torch

from . import CharVocab, Normaliser, make_batch


def main() -> None:
    torch.manual_seed(0)
    pairs = [("12 kg", "twelve kilograms"), ("Dr. Smith", "doctor smith"), ("$5", "five dollars"),
             ("3:30 pm", "three thirty p m")]
    vocab = CharVocab([t for p in pairs for t in p])
    batch = make_batch(pairs, vocab)
    model = Normaliser(len(vocab))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for step in range(3):
        loss = model.loss(batch)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"step {step} loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
