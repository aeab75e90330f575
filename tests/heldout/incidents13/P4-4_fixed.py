import torch
import torch.nn as nn


class ChatbotLM(nn.Module):
    """Context -> reply model: encoder reads the previous turn, decoder writes the reply."""

    def __init__(self, vocab_size=50, d_model=32, nhead=4, layers=1):
        super().__init__()
        self.src_embed = nn.Embedding(vocab_size, d_model)
        self.tgt_embed = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(32, d_model)
        self.transformer = nn.Transformer(d_model, nhead, layers, layers, 64, dropout=0.0)
        self.out = nn.Linear(d_model, vocab_size)

    def embed(self, table, tokens):
        positions = torch.arange(tokens.size(0))[:, None]
        return table(tokens) + self.pos(positions)

    def forward(self, context, reply_in):
        # context: (S, N), reply_in: (T, N)
        src = self.embed(self.src_embed, context)
        tgt = self.embed(self.tgt_embed, reply_in)
        hidden = self.transformer(src, tgt, tgt_mask=self.transformer.generate_square_subsequent_mask(reply_in.size(0)))  # BUG
        return self.out(hidden)


@torch.no_grad()
def greedy_reply(model, context, bos=1, max_len=6):
    reply = torch.full((1, context.size(1)), bos, dtype=torch.long)
    for _ in range(max_len):
        nxt = model(context, reply)[-1].argmax(-1, keepdim=True).T
        reply = torch.cat([reply, nxt], dim=0)
    return reply


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ChatbotLM().eval()
    context = torch.randint(2, 50, (7, 2))
    reply = torch.randint(2, 50, (6, 2))
    reply[0] = 1
    with torch.no_grad():
        base = model(context, reply)
        edited = reply.clone()
        edited[3:] = (edited[3:] + 7) % 50
        leak = (model(context, edited)[:3] - base[:3]).abs().max().item()
        generated = greedy_reply(model, context, max_len=3)
    print(f"future leak: max |d logits[:3]| after editing reply tokens 3.. = {leak:.4f}")
