import torch
from torch import nn
import torch.nn.functional as F


class WhisperStyleEncoderLayer(nn.Module):
    def __init__(self, d_model, heads):
        super().__init__()
        self.heads = heads
        self.self_attn_layer_norm = nn.LayerNorm(d_model)
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model, bias=False)
        self.v_proj = nn.Linear(d_model, d_model)
        self.out_proj = nn.Linear(d_model, d_model)
        self.final_layer_norm = nn.LayerNorm(d_model)
        self.fc1, self.fc2 = nn.Linear(d_model, 4 * d_model), nn.Linear(4 * d_model, d_model)

    def forward(self, hidden_states, attention_mask):
        b, t, d = hidden_states.shape
        x = self.self_attn_layer_norm(hidden_states)
        q, k, v = (p(x).view(b, t, self.heads, -1).transpose(1, 2) for p in (self.q_proj, self.k_proj, self.v_proj))
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        hidden_states = hidden_states + self.out_proj(a.transpose(1, 2).reshape(b, t, d))
        return hidden_states + self.fc2(F.gelu(self.fc1(self.final_layer_norm(hidden_states))))


class AudioEncoder(nn.Module):
    def __init__(self, n_mels=40, d_model=64, heads=4, layers=2, max_frames=300):
        super().__init__()
        self.conv1 = nn.Conv1d(n_mels, d_model, 3, padding=1)
        self.conv2 = nn.Conv1d(d_model, d_model, 3, stride=2, padding=1)
        self.embed_positions = nn.Embedding(max_frames, d_model)
        self.layers = nn.ModuleList(WhisperStyleEncoderLayer(d_model, heads) for _ in range(layers))
        self.layer_norm = nn.LayerNorm(d_model)

    def forward(self, input_features, attention_mask):
        x = F.gelu(self.conv2(F.gelu(self.conv1(input_features)))).transpose(1, 2)
        x = x + self.embed_positions.weight[: x.size(1)]
        frame_mask = attention_mask[:, ::2].to(x.dtype)
        additive = frame_mask[:, None, None, :] * torch.finfo(x.dtype).min
        for layer in self.layers:
            x = layer(x, additive)  # expect: ML103
        return self.layer_norm(x)


class SpeakerClassifier(nn.Module):
    def __init__(self, n_speakers=10):
        super().__init__()
        self.encoder = AudioEncoder()
        self.head = nn.Linear(64, n_speakers)

    def forward(self, input_features, attention_mask):
        h = self.encoder(input_features, attention_mask)
        w = attention_mask[:, ::2, None].to(h.dtype)
        return self.head((h * w).sum(1) / w.sum(1))


if __name__ == "__main__":
    feats = torch.randn(2, 40, 100)
    am = torch.ones(2, 100, dtype=torch.long)
    am[1, 60:] = 0
    print(SpeakerClassifier()(feats, am).shape)
