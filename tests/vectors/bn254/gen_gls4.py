#!/usr/bin/env python3
"""Derives the constants of the 4-dimensional GLS decomposition on G2 (src/bn254/gls4.c) and
checks the bounds its comments rely on. Run: python3 tests/vectors/bn254/gen_gls4.py

psi (untwist-Frobenius-twist) acts on G2 as [lambda] with lambda = p mod r = 6u^2 (p - r = 6u^2
for BN curves), a root of Phi_12 mod r. The lattice L = {v in Z^4 : v0 + v1 l + v2 l^2 + v3 l^3
= 0 mod r} has the short basis below (LLL of the obvious basis, written in u); Babai rounding
k -> c_i = round(k N_i / r) (N = first row of B^-1 times det) leaves k_j = [j=0] k - sum c_i b_ij."""
from fractions import Fraction as F
import math, random

u = 4965661367192848881
p = 36*u**4 + 36*u**3 + 24*u**2 + 6*u + 1
r = 36*u**4 + 36*u**3 + 18*u**2 + 6*u + 1
lam = p % r
assert lam == 6*u*u and (lam**4 - lam**2 + 1) % r == 0
B = [[2*u + 1, 0, 2*u, 1],
     [2*u, u + 1, -u, u],
     [u + 1, u, u, -2*u],
     [2*u + 1, -u, -(u + 1), -u]]
for b in B:
    assert sum(x * lam**i for i, x in enumerate(b)) % r == 0

def det(A):
    if len(A) == 1: return A[0][0]
    return sum((-1)**j * A[0][j] * det([row[:j] + row[j+1:] for row in A[1:]]) for j in range(len(A)))
D = det(B)
assert abs(D) == r  # B is a basis of L (index r in Z^4)
M = [[F(x) for x in row] + [F(int(i == j)) for j in range(4)] for i, row in enumerate(B)]
for c in range(4):
    piv = next(i for i in range(c, 4) if M[i][c] != 0); M[c], M[piv] = M[piv], M[c]
    pv = M[c][c]; M[c] = [x / pv for x in M[c]]
    for i in range(4):
        if i != c and M[i][c] != 0:
            f = M[i][c]; M[i] = [a - f * b for a, b in zip(M[i], M[c])]
Binv = [row[4:] for row in M]
alpha = Binv[0]  # (k, 0, 0, 0) = sum (k alpha_i) b_i
assert all(a > 0 for a in alpha)
# c_i = floor((k G_i + 2^319) / 2^320), G_i = floor(2^320 alpha_i) < 2^256:
# |c_i - k alpha_i| <= 1/2 + k/2^320 < 1/2 + 2^-66, so |k_j| <= (1/2 + 2^-66) sum_i |b_ij|
G = [math.floor(a * 2**320) for a in alpha]
assert all(g < 2**256 for g in G)
bound = [(F(1, 2) + F(1, 2**66)) * sum(abs(B[i][j]) for i in range(4)) for j in range(4)]
print("|k_j| < 2^%s" % ", 2^".join("%.3f" % math.log2(b) for b in bound))
assert all(b < 2**64 for b in bound)
# any nonzero v in L has |v|_inf >= 1 / max_i sum_j |Binv_ji| (x = v B^-1 is a nonzero integer vector)
vmin = 1 / max(sum(abs(Binv[j][i]) for j in range(4)) for i in range(4))
print("nonzero v in L: |v|_inf >= 2^%.3f" % math.log2(vmin))
assert vmin > 2**62

def split(k):
    k %= r
    c = [(k * g + 2**319) >> 320 for g in G]
    return [(k if j == 0 else 0) - sum(c[i] * B[i][j] for i in range(4)) for j in range(4)]
for k in [0, 1, r - 1, lam, lam**2 % r, lam**3 % r] + [random.randrange(r) for _ in range(20000)]:
    v = split(k)
    assert sum(x * lam**i for i, x in enumerate(v)) % r == k % r
    assert all(abs(v[j]) < bound[j] for j in range(4))

def limbs(x): return "{" + ", ".join("0x%016xULL" % ((x >> (64 * i)) & (2**64 - 1)) for i in range(4)) + "}"
print("lambda =", limbs(lam))
for i, g in enumerate(G): print("G%d =" % i, limbs(g))

# The exact minimum of |v|_inf over nonzero v in L: every v with |v|_inf < T has integer
# coordinates x = v B^-1 with |x_i| < T * colsum_i; enumerate them for T = 2^64.
import itertools
T = 2**64
cs = [sum(abs(Binv[j][i]) for j in range(4)) for i in range(4)]
rng = [range(-math.floor(T * c), math.floor(T * c) + 1) for c in cs]
best = None
for x in itertools.product(*rng):
    if any(x):
        v = [sum(x[i] * B[i][j] for i in range(4)) for j in range(4)]
        m = max(abs(t) for t in v)
        if best is None or m < best: best = m
print("exact min |v|_inf over nonzero v in L: 2^%.3f" % math.log2(best))
assert best > 2**63  # GLS_TAIL = 2 in gls4.c relies on this (with GLS_L = 65)
