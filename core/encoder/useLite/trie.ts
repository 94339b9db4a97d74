/** One vocabulary piece reachable in the trie. */
export interface Piece {
  readonly id: number;
  readonly score: number;
  /** Length in Unicode code points. */
  readonly length: number;
}

interface TrieNode {
  readonly children: Map<string, TrieNode>;
  piece?: Piece;
}

/** A character trie over vocabulary pieces, walked by code point. */
export class PieceTrie {
  private readonly root: TrieNode = { children: new Map() };

  insert(text: string, score: number, id: number): void {
    const symbols = Array.from(text);
    let node = this.root;
    for (const symbol of symbols) {
      let child = node.children.get(symbol);
      if (!child) {
        child = { children: new Map() };
        node.children.set(symbol, child);
      }
      node = child;
    }
    node.piece = { id, score, length: symbols.length };
  }

  /** Every piece that is a prefix of `symbols[start..]`, shortest first. */
  prefixesAt(symbols: readonly string[], start: number): Piece[] {
    const found: Piece[] = [];
    let node = this.root.children.get(symbols[start] ?? '');
    for (let i = start + 1; node; i++) {
      if (node.piece) found.push(node.piece);
      if (i >= symbols.length) break;
      node = node.children.get(symbols[i] ?? '');
    }
    return found;
  }
}
