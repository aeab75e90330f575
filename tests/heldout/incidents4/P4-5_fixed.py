import argparse

import torch
import torch.nn as nn


class TinyCausalLM(nn.Module):
    def __init__(self, vocab, d_model=64, nhead=4, num_layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(256, d_model)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=128, dropout=0.0, batch_first=True)
            for _ in range(num_layers)
        )
        self.lm_head = nn.Linear(d_model, vocab)

    def forward(self, ids):
        x = self.embed(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        causal_mask = nn.Transformer.generate_square_subsequent_mask(ids.size(1), device=ids.device)
        for layer in self.layers:
            x = layer(x, src_mask=causal_mask, is_causal=True)
        return self.lm_head(x)


@torch.no_grad()
def sequence_logprob(model, ids):
    logits = model(ids[:, :-1])
    logp = logits.log_softmax(-1).gather(-1, ids[:, 1:, None]).squeeze(-1)
    return logp.sum(-1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkpoint", default=None)
    parser.add_argument("--vocab", type=int, default=100)
    parser.add_argument("--num-seqs", type=int, default=4)
    args = parser.parse_args()

    model = TinyCausalLM(args.vocab)
    if args.checkpoint:
        model.load_state_dict(torch.load(args.checkpoint, map_location="cpu"))
    model.eval()

    torch.manual_seed(0)
    ids = torch.randint(0, args.vocab, (args.num_seqs, 16))
    scores = sequence_logprob(model, ids)
    for i, s in enumerate(scores.tolist()):
        print(f"seq {i}: logprob {s:.2f}")

    perturbed = ids.clone()
    perturbed[:, -1] = (perturbed[:, -1] + 1) % args.vocab
    with torch.no_grad():
        drift = (model(ids)[:, :-1] - model(perturbed)[:, :-1]).abs().max().item()
    print("prefix logits changed by last token:", drift)


if __name__ == "__main__":
    main()
