import torch
import torch.nn as nn


class MiniBert(nn.Module):
    def __init__(self, vocab_size=60, hidden=32, heads=4, layers=2, max_pos=64):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab_size, hidden)
        self.position_embeddings = nn.Embedding(max_pos, hidden)
        self.token_type_embeddings = nn.Embedding(2, hidden)
        self.layers = nn.ModuleList([
            nn.TransformerEncoderLayer(hidden, heads, 4 * hidden, dropout=0.0, batch_first=True, activation="gelu")
            for _ in range(layers)
        ])

    def forward(self, input_ids, token_type_ids, attention_mask):
        pos = torch.arange(input_ids.size(1))[None]
        x = self.word_embeddings(input_ids) + self.position_embeddings(pos) + self.token_type_embeddings(token_type_ids)
        extended_attention_mask = (1.0 - attention_mask[:, None, None, :].float()) * -10000.0
        mask = extended_attention_mask.expand(-1, self.layers[0].self_attn.num_heads, input_ids.size(1), -1)
        mask = mask.reshape(-1, input_ids.size(1), input_ids.size(1))
        for layer in self.layers:
            x = layer(x, src_mask=mask)
        return x


class BertNLIModel(nn.Module):
    def __init__(self, label_num=3):
        super().__init__()
        self.bert = MiniBert()
        self.nli_head = nn.Linear(32, label_num)

    def step(self, token_ids_list, type_ids_list, pad_id=0):
        max_len = max(len(t) for t in token_ids_list)
        input_ids = torch.tensor([t + [pad_id] * (max_len - len(t)) for t in token_ids_list])
        token_type_ids = torch.tensor([t + [0] * (max_len - len(t)) for t in type_ids_list])
        attention_mask = (input_ids != pad_id).long()
        cls = self.bert(input_ids, token_type_ids, attention_mask)[:, 0]
        return self.nli_head(cls)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BertNLIModel().eval()
    premise_hyp = [[1, 14, 22, 9, 2, 31, 40, 2], [1, 17, 2, 33, 2]]
    types = [[0, 0, 0, 0, 0, 1, 1, 1], [0, 0, 0, 1, 1]]
    with torch.no_grad():
        batched = model.step(premise_hyp, types)[1]
        alone = model.step(premise_hyp[1:], types[1:])[0]
    print(f"short pair: logits batched (padded) vs alone max |diff| = {(batched - alone).abs().max().item():.4f}")
