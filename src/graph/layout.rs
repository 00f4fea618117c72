//! Graph stage, layout: positions for the global graph, computed once at build time so that the
//! browser only draws. A force simulation in the manner of d3-force (springs along links, a
//! many-body repulsion, a weak pull to the centre, velocity Verlet with decaying `alpha`), with
//! the repulsion summed over a Barnes–Hut quadtree: O(n log n) per step, never O(n²).
//!
//! It starts from a good guess rather than from noise (nodes in breadth-first order of their
//! connected component, largest first, on a sunflower spiral: linked notes start near each
//! other and the well-connected core in the middle), which lets a few dozen steps settle it.
//! Only arithmetic and square roots are used (no `powf`, no hashing, no thread-dependent sums),
//! so the same graph always gives the same positions, on any machine and any thread count.

use rayon::prelude::*;

/// Simulation steps for a small graph; a large one gets fewer (see [`steps`]).
pub const MAX_STEPS: usize = 150;
/// Fewest simulation steps, for the largest graphs.
pub const MIN_STEPS: usize = 30;
/// Node-steps a layout may take (nodes × steps) before it takes fewer steps: a 2,500-node graph
/// gets 150 steps, a 13,500-node one (10,000 notes and the links they miss) 30.
const BUDGET: usize = 400_000;
/// Length links pull towards.
const LINK_DISTANCE: f64 = 30.0;
/// Many-body strength (negative: nodes repel).
const CHARGE: f64 = -30.0;
/// Nodes farther apart than this do not repel: it keeps islands and unlinked notes near the
/// rest (instead of pushed far out by the whole graph), and spares the farthest cells.
const DISTANCE_MAX: f64 = 300.0;
/// Pull towards the centre.
const GRAVITY: f64 = 0.04;
/// Barnes–Hut accuracy: a cell counts as one body when it is farther than its width / `THETA`
/// (d3 uses 0.9; positions for a picture need less).
const THETA: f64 = 1.2;
/// Share of velocity lost per step.
const VELOCITY_DECAY: f64 = 0.4;
/// Points kept in one quadtree leaf before it splits.
const LEAF: usize = 16;

/// Steps for a graph of `n` nodes: [`MAX_STEPS`] up to a few thousand nodes, then fewer (down
/// to [`MIN_STEPS`]), so that a large graph costs about as much as a middling one.
pub fn steps(n: usize) -> usize {
    (BUDGET / n.max(1)).clamp(MIN_STEPS, MAX_STEPS)
}

/// Positions (x, y) for `n` nodes joined by `edges` (pairs of node indices, any direction,
/// duplicates allowed), centred on (0, 0).
pub fn layout(n: usize, edges: &[(u32, u32)]) -> Vec<(f64, f64)> {
    if n == 0 {
        return Vec::new();
    }
    let links = undirected(n, edges);
    let adj = Adjacency::new(n, &links);
    let mut pos = initial(n, &adj);
    let mut vel = vec![(0.0f64, 0.0f64); n];
    let degree: Vec<f64> = (0..n).map(|i| adj.neighbours(i).len() as f64).collect();
    // A link pulls harder on the end with fewer links (as d3 does: hubs move less than their
    // leaves), and links of well-linked notes pull less: weights per adjacency entry.
    let weight: Vec<f64> = (0..n)
        .flat_map(|i| {
            let degree = &degree;
            adj.neighbours(i).iter().map(move |&j| {
                let (di, dj) = (degree[i], degree[j]);
                dj / (di + dj) / di.min(dj).max(1.0)
            })
        })
        .collect();
    let steps = steps(n);
    let dmax2 = DISTANCE_MAX * DISTANCE_MAX;
    let mut ahead = pos.clone();
    for step in 0..steps {
        // Cooling: strong moves first, fine ones at the end.
        let t = step as f64 / steps as f64;
        let alpha = (1.0 - t) * (1.0 - t) * 0.9 + 0.02;
        let tree = QuadTree::new(&pos);
        let repel = tree.forces(&pos, dmax2);
        // Where each node is heading (springs look one step ahead, as d3's do).
        for i in 0..n {
            ahead[i] = (pos[i].0 + vel[i].0, pos[i].1 + vel[i].1);
        }
        // Every node's push in parallel: each is a sum in a fixed order, so the result does not
        // depend on the threads.
        let push: Vec<(f64, f64)> = (0..n)
            .into_par_iter()
            .with_min_len(256)
            .map(|i| {
                let (rx, ry) = repel[i];
                let (mut sx, mut sy) = (0.0, 0.0);
                let (ax, ay) = ahead[i];
                let from = adj.start[i];
                for (k, &j) in adj.neighbours(i).iter().enumerate() {
                    let dx = ahead[j].0 - ax;
                    let dy = ahead[j].1 - ay;
                    let l = (dx * dx + dy * dy).sqrt().max(1e-6);
                    let f = (l - LINK_DISTANCE) / l * weight[from + k];
                    sx += dx * f;
                    sy += dy * f;
                }
                (
                    (rx * CHARGE + sx - pos[i].0 * GRAVITY) * alpha,
                    (ry * CHARGE + sy - pos[i].1 * GRAVITY) * alpha,
                )
            })
            .collect();
        for i in 0..n {
            let v = &mut vel[i];
            v.0 = (v.0 + push[i].0) * (1.0 - VELOCITY_DECAY);
            v.1 = (v.1 + push[i].1) * (1.0 - VELOCITY_DECAY);
            pos[i].0 += v.0;
            pos[i].1 += v.1;
        }
    }
    // Centred on the mean, so that the browser's first view needs no search for the middle.
    let (mx, my) = pos.iter().fold((0.0, 0.0), |(a, b), p| (a + p.0, b + p.1));
    let (mx, my) = (mx / n as f64, my / n as f64);
    pos.iter().map(|p| (p.0 - mx, p.1 - my)).collect()
}

/// Each unordered pair once, without self-links, sorted.
fn undirected(n: usize, edges: &[(u32, u32)]) -> Vec<(usize, usize)> {
    let mut v: Vec<(usize, usize)> = edges
        .iter()
        .map(|&(a, b)| (a.min(b) as usize, a.max(b) as usize))
        .filter(|&(a, b)| a != b && b < n)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Neighbours of every node, in one array (compressed sparse rows).
struct Adjacency {
    start: Vec<usize>,
    list: Vec<usize>,
}

impl Adjacency {
    fn new(n: usize, links: &[(usize, usize)]) -> Adjacency {
        let mut count = vec![0usize; n + 1];
        for &(a, b) in links {
            count[a + 1] += 1;
            count[b + 1] += 1;
        }
        for i in 0..n {
            count[i + 1] += count[i];
        }
        let mut fill = count.clone();
        let mut list = vec![0; count[n]];
        for &(a, b) in links {
            list[fill[a]] = b;
            fill[a] += 1;
            list[fill[b]] = a;
            fill[b] += 1;
        }
        Adjacency { start: count, list }
    }

    fn neighbours(&self, i: usize) -> &[usize] {
        &self.list[self.start[i]..self.start[i + 1]]
    }
}

/// The starting positions: connected components, largest first, each walked breadth-first from
/// its best-connected node, laid along a sunflower spiral (even density, no two points alike).
fn initial(n: usize, adj: &Adjacency) -> Vec<(f64, f64)> {
    let mut comp = vec![usize::MAX; n];
    let mut comps: Vec<Vec<usize>> = Vec::new();
    let mut queue = std::collections::VecDeque::new();
    // Seeds by degree (then index), so each component starts from its hub.
    let mut seeds: Vec<usize> = (0..n).collect();
    seeds.sort_by_key(|&i| (std::cmp::Reverse(adj.neighbours(i).len()), i));
    for &s in &seeds {
        if comp[s] != usize::MAX {
            continue;
        }
        let id = comps.len();
        let mut members = vec![s];
        comp[s] = id;
        queue.push_back(s);
        while let Some(i) = queue.pop_front() {
            for &j in adj.neighbours(i) {
                if comp[j] == usize::MAX {
                    comp[j] = id;
                    members.push(j);
                    queue.push_back(j);
                }
            }
        }
        comps.push(members);
    }
    // Stable: equal sizes keep the seed order.
    comps.sort_by_key(|c| std::cmp::Reverse(c.len()));
    let mut pos = vec![(0.0, 0.0); n];
    // The golden angle as (cos, sin), rotated step by step with exact arithmetic only.
    let (gc, gs) = (-0.737_368_878_078_319_6_f64, 0.675_490_294_261_523_9_f64);
    let (mut c, mut s) = (1.0f64, 0.0f64);
    for (k, &i) in comps.iter().flatten().enumerate() {
        let r = 10.0 * (0.5 + k as f64).sqrt();
        pos[i] = (r * c, r * s);
        (c, s) = (c * gc - s * gs, c * gs + s * gc);
        // Renormalise now and then against drift.
        if k % 64 == 63 {
            let l = (c * c + s * s).sqrt();
            c /= l;
            s /= l;
        }
    }
    pos
}

/// One cell of the quadtree.
#[derive(Default)]
struct Cell {
    /// Centre of mass.
    x: f64,
    y: f64,
    /// Points inside.
    mass: f64,
    /// Width of the cell, squared.
    width2: f64,
    /// A leaf's farthest point from its centre of mass.
    radius: f64,
    /// First child cell (children are contiguous, up to four); 0 for a leaf.
    child: u32,
    /// Children cells.
    children: u8,
    /// A leaf's points: a range of [`QuadTree::order`].
    from: u32,
    to: u32,
}

/// A Barnes–Hut quadtree over the current positions.
struct QuadTree {
    cells: Vec<Cell>,
    order: Vec<u32>,
    /// Room for partitioning while building.
    scratch: Vec<u32>,
}

impl QuadTree {
    fn new(pos: &[(f64, f64)]) -> QuadTree {
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(x, y) in pos {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        let size = (x1 - x0).max(y1 - y0).max(1.0);
        let mut t = QuadTree {
            cells: Vec::with_capacity(pos.len() / 2 + 1),
            order: (0..pos.len() as u32).collect(),
            scratch: Vec::with_capacity(pos.len()),
        };
        t.cells.push(Cell::default());
        t.build(0, pos, 0, pos.len(), (x0, y0, size), 0);
        t
    }

    /// Fills cell `c` with the points `order[from..to]`, inside the square `(x, y, size)`.
    fn build(
        &mut self,
        c: usize,
        pos: &[(f64, f64)],
        from: usize,
        to: usize,
        (x0, y0, size): (f64, f64, f64),
        depth: u32,
    ) {
        let (mut sx, mut sy) = (0.0, 0.0);
        for &i in &self.order[from..to] {
            sx += pos[i as usize].0;
            sy += pos[i as usize].1;
        }
        let m = (to - from) as f64;
        {
            let cell = &mut self.cells[c];
            cell.x = sx / m;
            cell.y = sy / m;
            cell.mass = m;
            cell.width2 = size * size;
            cell.from = from as u32;
            cell.to = to as u32;
        }
        if to - from <= LEAF || depth >= 40 {
            let (cx, cy) = (sx / m, sy / m);
            let mut r2: f64 = 0.0;
            for &i in &self.order[from..to] {
                let (x, y) = pos[i as usize];
                r2 = r2.max((x - cx) * (x - cx) + (y - cy) * (y - cy));
            }
            self.cells[c].radius = r2.sqrt();
            return;
        }
        // Split into quadrants: a stable partition of the range (so the order stays fixed).
        let half = size / 2.0;
        let (mx, my) = (x0 + half, y0 + half);
        let quad = |i: u32| -> usize {
            let (x, y) = pos[i as usize];
            usize::from(x >= mx) + 2 * usize::from(y >= my)
        };
        let mut bounds = [from; 5];
        for &i in &self.order[from..to] {
            bounds[quad(i) + 1] += 1;
        }
        for q in 0..4 {
            bounds[q + 1] += bounds[q] - from;
        }
        self.scratch.clear();
        self.scratch.extend_from_slice(&self.order[from..to]);
        let mut fill = bounds;
        for k in 0..self.scratch.len() {
            let i = self.scratch[k];
            let q = quad(i);
            self.order[fill[q]] = i;
            fill[q] += 1;
        }
        let first = self.cells.len();
        let filled: Vec<usize> = (0..4).filter(|&q| bounds[q + 1] > bounds[q]).collect();
        for _ in &filled {
            self.cells.push(Cell::default());
        }
        self.cells[c].child = first as u32;
        self.cells[c].children = filled.len() as u8;
        for (k, &q) in filled.iter().enumerate() {
            let sq = (
                if q & 1 == 1 { mx } else { x0 },
                if q & 2 == 2 { my } else { y0 },
                half,
            );
            self.build(first + k, pos, bounds[q], bounds[q + 1], sq, depth + 1);
        }
    }

    /// [`QuadTree::force`] for every node, in parallel: each leaf walks the tree once for all
    /// its points (a cell far enough from the whole leaf acts on each point as one body), which
    /// spares most of the walking. Each node's sum has a fixed order, whatever the threads.
    fn forces(&self, pos: &[(f64, f64)], dmax2: f64) -> Vec<(f64, f64)> {
        let leaves: Vec<u32> = (0..self.cells.len() as u32)
            .filter(|&c| self.cells[c as usize].child == 0)
            .collect();
        let parts: Vec<Vec<(f64, f64)>> = leaves
            .par_iter()
            .with_min_len(32)
            .map(|&l| self.leaf_forces(pos, l as usize, dmax2))
            .collect();
        let mut out = vec![(0.0, 0.0); pos.len()];
        for (&l, f) in leaves.iter().zip(parts) {
            let cell = &self.cells[l as usize];
            for (&i, v) in self.order[cell.from as usize..cell.to as usize]
                .iter()
                .zip(f)
            {
                out[i as usize] = v;
            }
        }
        out
    }

    /// The pushes on the points of leaf `leaf`, in their order.
    fn leaf_forces(&self, pos: &[(f64, f64)], leaf: usize, dmax2: f64) -> Vec<(f64, f64)> {
        let theta2 = THETA * THETA;
        let own = &self.cells[leaf];
        let points = &self.order[own.from as usize..own.to as usize];
        let mut f = vec![(0.0, 0.0); points.len()];
        let mut stack = [0u32; 128];
        let mut top = 1;
        while top > 0 {
            top -= 1;
            let c = stack[top] as usize;
            let cell = &self.cells[c];
            let (dx, dy) = (cell.x - own.x, cell.y - own.y);
            // Distance from the cell's centre of mass to the nearest point the leaf can have.
            let gap = (dx * dx + dy * dy).sqrt() - own.radius;
            if c != leaf && gap > 0.0 && cell.width2 / theta2 < gap * gap {
                for (k, &i) in points.iter().enumerate() {
                    let (x, y) = pos[i as usize];
                    let (dx, dy) = (cell.x - x, cell.y - y);
                    let l = dx * dx + dy * dy;
                    if l < dmax2 {
                        f[k].0 += dx * cell.mass / l;
                        f[k].1 += dy * cell.mass / l;
                    }
                }
            } else if cell.child != 0 {
                for k in 0..cell.children as u32 {
                    stack[top] = cell.child + k;
                    top += 1;
                }
            } else {
                for (k, &i) in points.iter().enumerate() {
                    f[k] = exact(
                        pos,
                        i as usize,
                        &self.order[cell.from as usize..cell.to as usize],
                        f[k],
                        dmax2,
                    );
                }
            }
        }
        f
    }

    /// The sum over every other node of (its offset / distance²), for node `i`: the direction
    /// and strength it is pushed in, before the charge is applied.
    #[cfg(test)]
    fn force(&self, pos: &[(f64, f64)], i: usize, dmax2: f64) -> (f64, f64) {
        let theta2 = THETA * THETA;
        let (xi, yi) = pos[i];
        let (mut fx, mut fy) = (0.0, 0.0);
        // At most 3 siblings wait per level of the tree (40 levels at most).
        let mut stack = [0u32; 128];
        let mut top = 1;
        while top > 0 {
            top -= 1;
            let c = stack[top];
            let cell = &self.cells[c as usize];
            let dx = cell.x - xi;
            let dy = cell.y - yi;
            let l = dx * dx + dy * dy;
            if cell.child != 0 && cell.width2 / theta2 < l {
                if l < dmax2 {
                    fx += dx * cell.mass / l;
                    fy += dy * cell.mass / l;
                }
            } else if cell.child != 0 {
                for k in 0..cell.children as u32 {
                    stack[top] = cell.child + k;
                    top += 1;
                }
            } else {
                (fx, fy) = exact(
                    pos,
                    i,
                    &self.order[cell.from as usize..cell.to as usize],
                    (fx, fy),
                    dmax2,
                );
            }
        }
        (fx, fy)
    }
}

/// `f` plus the push on node `i` from each of `others` (itself left out), one by one.
fn exact(pos: &[(f64, f64)], i: usize, others: &[u32], f: (f64, f64), dmax2: f64) -> (f64, f64) {
    let (xi, yi) = pos[i];
    let (mut fx, mut fy) = f;
    for &j in others {
        let j = j as usize;
        if j == i {
            continue;
        }
        let (mut dx, mut dy) = (pos[j].0 - xi, pos[j].1 - yi);
        if dx == 0.0 && dy == 0.0 {
            // Two nodes in one place: part them along a fixed direction.
            dx = if j < i { -1e-3 } else { 1e-3 };
            dy = 0.0;
        }
        let l = (dx * dx + dy * dy).max(1.0);
        if l < dmax2 {
            fx += dx / l;
            fy += dy / l;
        }
    }
    (fx, fy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linked_nodes_end_nearer_than_unlinked_ones_and_layout_is_deterministic() {
        // Two triangles joined by one link, and an isolated node.
        let edges = [(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)];
        let a = layout(7, &edges);
        let b = layout(7, &edges);
        assert_eq!(a, b);
        let d = |i: usize, j: usize| ((a[i].0 - a[j].0).powi(2) + (a[i].1 - a[j].1).powi(2)).sqrt();
        assert!(d(0, 1) < d(0, 5), "{a:?}");
        assert!(d(3, 4) < d(4, 0), "{a:?}");
        for p in &a {
            assert!(p.0.is_finite() && p.1.is_finite());
        }
        // No two nodes on top of each other.
        for i in 0..7 {
            for j in 0..i {
                assert!(d(i, j) > 1.0, "{i} {j} {a:?}");
            }
        }
    }

    #[test]
    fn tree_force_matches_the_exact_sum_closely() {
        let pos: Vec<(f64, f64)> = (0..500)
            .map(|i| {
                let f = i as f64;
                ((f * 7.3) % 113.0 - 50.0, (f * 3.1) % 97.0 - 40.0)
            })
            .collect();
        let tree = QuadTree::new(&pos);
        let all = tree.forces(&pos, f64::INFINITY);
        for i in [0, 17, 250, 499] {
            let (ax, ay) = tree.force(&pos, i, f64::INFINITY);
            let (bx, by) = all[i];
            let (mut ex, mut ey) = (0.0, 0.0);
            for (j, p) in pos.iter().enumerate() {
                if j != i {
                    let (dx, dy) = (p.0 - pos[i].0, p.1 - pos[i].1);
                    let l = (dx * dx + dy * dy).max(1.0);
                    ex += dx / l;
                    ey += dy / l;
                }
            }
            let mag = (ex * ex + ey * ey).sqrt().max(1.0);
            for (x, y) in [(ax, ay), (bx, by)] {
                let err = ((x - ex).powi(2) + (y - ey).powi(2)).sqrt();
                assert!(err / mag < 0.2, "node {i}: {x},{y} vs {ex},{ey}");
            }
        }
    }

    #[test]
    fn empty_and_single() {
        assert!(layout(0, &[]).is_empty());
        assert_eq!(layout(1, &[]), vec![(0.0, 0.0)]);
    }
}
