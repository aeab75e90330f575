# EXPECT: bug the dense GAT layer replaces non-edge attention logits with 0 (torch.where(adj > 0, e, zeros)) instead of a large negative value, so softmax still gives every non-neighbour (and padded node) weight exp(0).
"""Imitates pyGAT (Diego999/pyGAT GraphAttentionLayer: Wh1 + Wh2.T, LeakyReLU,
torch.where(adj > 0, e, zero_vec), softmax, dropout) batched over padded graphs
with a node mask, for node classification."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class GraphAttentionLayer(nn.Module):
    def __init__(self, in_features, out_features, dropout, alpha, concat=True):
        super().__init__()
        self.dropout, self.concat = dropout, concat
        self.W = nn.Parameter(torch.empty(in_features, out_features))
        self.a = nn.Parameter(torch.empty(2 * out_features, 1))
        nn.init.xavier_uniform_(self.W, gain=1.414)
        nn.init.xavier_uniform_(self.a, gain=1.414)
        self.leakyrelu = nn.LeakyReLU(alpha)
        self.out_features = out_features

    def forward(self, h, adj):
        Wh = h @ self.W  # [B, N, F]
        Wh1 = Wh @ self.a[: self.out_features]
        Wh2 = Wh @ self.a[self.out_features :]
        e = self.leakyrelu(Wh1 + Wh2.transpose(1, 2))  # [B, N, N]
        zero_vec = torch.zeros_like(e)
        attention = torch.where(adj > 0, e, zero_vec)  # BUG-SITE
        attention = F.softmax(attention, dim=-1)
        attention = F.dropout(attention, self.dropout, training=self.training)
        h_prime = attention @ Wh
        return F.elu(h_prime) if self.concat else h_prime


class GAT(nn.Module):
    def __init__(self, nfeat=12, nhid=8, nclass=4, dropout=0.3, alpha=0.2, nheads=2):
        super().__init__()
        self.dropout = dropout
        self.attentions = nn.ModuleList([GraphAttentionLayer(nfeat, nhid, dropout, alpha) for _ in range(nheads)])
        self.out_att = GraphAttentionLayer(nhid * nheads, nclass, dropout, alpha, concat=False)

    def forward(self, x, adj):
        x = F.dropout(x, self.dropout, training=self.training)
        x = torch.cat([att(x, adj) for att in self.attentions], dim=-1)
        x = F.dropout(x, self.dropout, training=self.training)
        return F.log_softmax(F.elu(self.out_att(x, adj)), dim=-1)


def batch_graphs(g, sizes, nfeat=12, edge_p=0.3):
    N = max(sizes)
    B = len(sizes)
    x = torch.zeros(B, N, nfeat)
    adj = torch.zeros(B, N, N)
    node_mask = torch.zeros(B, N, dtype=torch.bool)
    for i, n in enumerate(sizes):
        x[i, :n] = torch.randn(n, nfeat, generator=g)
        a = (torch.rand(n, n, generator=g) < edge_p).float()
        a = ((a + a.t()) > 0).float()
        adj[i, :n, :n] = a
        node_mask[i, :n] = True
    adj = adj + torch.eye(N).expand(B, N, N)  # self loops (also for padded nodes)
    return x, adj.clamp(max=1.0), node_mask


def run():
    torch.manual_seed(0)
    model = GAT()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3, weight_decay=5e-4)
    g = torch.Generator().manual_seed(73)
    x, adj, node_mask = batch_graphs(g, [10, 6, 8])
    y = torch.randint(0, 4, node_mask.shape, generator=g)

    model.train()
    out = model(x, adj)
    loss = F.nll_loss(out[node_mask], y[node_mask])
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        x2, adj2, m2 = batch_graphs(g, [7, 12])
        pred = model(x2, adj2)
        pred = pred.masked_fill(~m2.unsqueeze(-1), 0.0)
    return [loss.detach(), *grads, pred]
