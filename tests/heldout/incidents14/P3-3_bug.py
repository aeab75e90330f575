import torch
from torch import nn


class MLP_Block(nn.Module):
    def __init__(self, input_dim, hidden_units=[], hidden_activations="ReLU", output_dim=None,
                 output_activation=None, dropout_rates=0.0, batch_norm=False):
        super(MLP_Block, self).__init__()
        dense_layers = []
        hidden_units = [input_dim] + hidden_units
        for idx in range(len(hidden_units) - 1):
            dense_layers.append(nn.Linear(hidden_units[idx], hidden_units[idx + 1]))
            dense_layers.append(getattr(nn, hidden_activations)())
            if dropout_rates > 0:
                dense_layers.append(nn.Dropout(p=dropout_rates))
        if output_dim is not None:
            dense_layers.append(nn.Linear(hidden_units[-1], output_dim))
        self.mlp = nn.Sequential(*dense_layers)

    def forward(self, inputs):
        return self.mlp(inputs)


class User2ItemNet(nn.Module):
    def __init__(self, model_dim=8, attention_hidden_units=[16, 8], attention_activation="ReLU",
                 attention_dropout=0.0, pos_emb_dim=4, max_seq_len=6):
        """ We follow the code from the authors for this implementation.
        """
        super(User2ItemNet, self).__init__()
        self.model_dim = model_dim
        self.pos_emb = nn.Parameter(torch.randn(max_seq_len, pos_emb_dim))
        self.context_dim = pos_emb_dim
        self.W_q = nn.Sequential(nn.Linear(self.context_dim, model_dim), nn.ReLU())
        self.attn_mlp = MLP_Block(input_dim=model_dim * 4, output_dim=1, hidden_units=attention_hidden_units,
                                  hidden_activations=attention_activation, dropout_rates=attention_dropout)
        self.W_o = nn.Sequential(nn.Linear(model_dim, model_dim), nn.ReLU())

    def forward(self, target_emb, sequence_emb, mask=None):
        batch_size = target_emb.size(0)
        context_emb = self.pos_emb.unsqueeze(0).expand(batch_size, -1, -1)
        seq_len = sequence_emb.size(1)
        query = self.W_q(context_emb.reshape(-1, self.context_dim)).reshape(-1, seq_len, self.model_dim)
        inp_concat = torch.cat([query, sequence_emb, query - sequence_emb,
                                query * sequence_emb], dim=-1)
        attn_score = self.attn_mlp(inp_concat.view(-1, 4 * self.model_dim))
        attn_score = attn_score.view(-1, seq_len) # b x len
        attn_mask = self.get_mask(mask) # 0 for masked positions
        expand_score = attn_score.unsqueeze(1).repeat(1, seq_len, 1) # b x len x len
        # expand_score = expand_score.masked_fill_(attn_mask.float() == 0, -1.e9)  # BUG
        expand_score = expand_score.softmax(dim=-1)
        user_embs = torch.bmm(expand_score, sequence_emb) # b x len x d
        user_embs = self.W_o(user_embs.reshape(-1, self.model_dim)).reshape(-1, seq_len, self.model_dim)
        rel_u2i = torch.sum(user_embs[:, -1, :] * target_emb, dim=-1, keepdim=True)
        return rel_u2i

    def get_mask(self, mask):
        """ attn_mask: 0 for masked positions
        """
        seq_len = mask.size(1)
        attn_mask = mask.unsqueeze(1).repeat(1, seq_len, 1).view(-1, seq_len, seq_len)
        causal_mask = torch.tril(torch.ones(seq_len, seq_len, device=mask.device)).bool() \
                           .unsqueeze(0).expand_as(attn_mask)
        attn_mask = attn_mask & causal_mask
        return attn_mask  # BUG


if __name__ == "__main__":
    torch.manual_seed(0)
    net = User2ItemNet().eval()
    item_ids = torch.tensor([[0, 0, 3, 5, 2, 7], [4, 1, 6, 2, 9, 8]])
    mask = item_ids > 0
    sequence_emb = torch.randn(2, 6, 8)
    sequence_emb2 = sequence_emb.clone()
    sequence_emb2[0, :2] = torch.randn(2, 8)
    target_emb = torch.randn(2, 8)
    with torch.no_grad():
        diff = (net(target_emb, sequence_emb, mask) - net(target_emb, sequence_emb2, mask)).abs().max().item()
    print(f"u2i relevance change when only padded behaviours change: {diff:.4f}")
