import torch
from torch import nn


class Encoder(nn.Module):
    def __init__(self, ntoken=100, d_model=16, nhead=2, nlayers=2):
        super().__init__()
        self.embedding = nn.Embedding(ntoken, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=32, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, nlayers, enable_nested_tensor=False)

    def forward(self, input_ids, attention_mask):
        x = self.embedding(input_ids)
        return self.encoder(x, src_key_padding_mask=attention_mask)  # BUG


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Encoder()
    input_ids = torch.tensor([[11, 12, 0, 0], [13, 14, 15, 16]])
    attention_mask = torch.tensor([[1, 1, 0, 0], [1, 1, 1, 1]])
    out_train = model(input_ids, attention_mask)
    model.eval()
    with torch.no_grad():
        out_eval = model(input_ids, attention_mask)
    print(out_train.shape, out_eval.shape)
