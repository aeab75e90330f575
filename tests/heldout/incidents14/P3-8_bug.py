import torch
import torch.nn as nn
import torch.nn.functional as F


class SimpleTokenizer:
    def __init__(self):
        self.char_to_idx = {'C': 0, 'O': 1, '(': 2, ')': 3, '<pad>': 4}
        self.idx_to_char = {v: k for k, v in self.char_to_idx.items()}
        self.pad_idx = self.char_to_idx['<pad>']

    def tokenize(self, smiles, max_len):
        tokenized_smiles = [self.char_to_idx[char] for char in smiles]
        tokenized_smiles += [self.pad_idx] * (max_len - len(tokenized_smiles))
        return torch.tensor(tokenized_smiles, dtype=torch.long)


class BetaTCVAE(nn.Module):
    def __init__(self, vocab_size, embedding_dim, hidden_dim, latent_dim, nhead, num_layers, pad_idx, device):
        super(BetaTCVAE, self).__init__()

        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=pad_idx)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(embedding_dim, nhead, hidden_dim),  # BUG
            num_layers=num_layers, enable_nested_tensor=False)
        self.mu = nn.Linear(embedding_dim, latent_dim)
        self.log_var = nn.Linear(embedding_dim, latent_dim)

        self.decoder = nn.TransformerDecoder(
            nn.TransformerDecoderLayer(embedding_dim, nhead, hidden_dim),  # BUG
            num_layers=num_layers)
        self.fc_out = nn.Linear(embedding_dim, vocab_size)

        self.device = device

    def reparameterize(self, mu, log_var):
        std = torch.exp(0.5 * log_var)
        eps = torch.randn_like(std).to(self.device)
        return mu + eps * std

    def forward(self, x):
        embedded = self.embedding(x)
        encoded = self.encoder(embedded)
        mu = self.mu(encoded)
        log_var = self.log_var(encoded)
        z = self.reparameterize(mu, log_var)

        decoded = self.decoder(z, encoded)
        out = self.fc_out(decoded)

        return out, mu, log_var


def loss_function(recon_x, x, mu, log_var, beta, gamma):
    BCE = F.cross_entropy(recon_x.view(-1, recon_x.size(-1)), x.view(-1), reduction='mean')
    KLD = -0.5 * torch.mean(1 + log_var - mu.pow(2) - log_var.exp())
    TC = (log_var.exp() - 1 - log_var).mean()
    return BCE + beta * KLD + gamma * TC


if __name__ == '__main__':
    torch.manual_seed(0)
    tok = SimpleTokenizer()
    model = BetaTCVAE(vocab_size=5, embedding_dim=8, hidden_dim=16, latent_dim=8, nhead=2,
                      num_layers=1, pad_idx=tok.pad_idx, device='cpu').eval()
    batch = torch.stack([tok.tokenize(s, 6) for s in ['CC(O)C', 'COC', 'CCCO']])
    other = batch.clone()
    other[1:] = torch.stack([tok.tokenize(s, 6) for s in ['OCCO', 'C(C)C']])
    with torch.no_grad():
        mu_a = model(batch)[1]
        mu_b = model(other)[1]
    print(f'molecule-0 latent mean change when other molecules in the batch change: {(mu_a[0] - mu_b[0]).abs().max().item():.4f}')
