using Kecleon.Bpf;

namespace Kecleon.Runtime.Checking;

/// <summary>
/// The differential check's copies of live maps, kept from one cycle to the next of the same program: a reaction's check
/// then brings the copies it ran on back to the live contents (<see cref="CheckCopies.Refill"/>: the entries that
/// differ) instead of creating them again. A map's creation is what costs: an LRU hash preallocates every element
/// (131,072 of them for the DDoS sample's rate table, about 10 ms of kernel time each, twice a cycle), and a verifier run
/// is cheap beside it.
/// </summary>
/// <remarks>
/// Only maps the check copies entry by entry (<see cref="CheckCopy.Entries"/>) are kept, each with the id of the live
/// map it copies: a live map replaced since (another id) is not copied by the old one. No program holds a kept map
/// between cycles (the check's programs are unloaded with their cycle), so nothing sees them as another writer of
/// anything. One cycle at a time takes the maps (<see cref="Take"/>); a second cycle meanwhile makes its own. The owner
/// (a daemon's target, a benchmark) disposes of the pool, and the maps with it.
/// </remarks>
public sealed class CheckMapPool : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, (BpfLoadedMap Copy, uint LiveId)>> _roles = new(StringComparer.Ordinal);
    private bool _taken;
    private bool _disposed;

    /// <summary>How many copies are kept, over every role.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
                return _roles.Values.Sum(r => r.Count);
        }
    }

    /// <summary>The kernel ids of the kept copies.</summary>
    internal IReadOnlyList<uint> KeptMapIds()
    {
        lock (_lock)
            return _roles.Values.SelectMany(r => r.Values).Select(m => m.Copy.Id).ToList();
    }

    /// <summary>Takes the pool for one cycle: null when another cycle has it (or it is disposed). <see cref="Lease.Dispose"/>
    /// gives it back.</summary>
    public Lease? Take()
    {
        lock (_lock)
        {
            if (_taken || _disposed)
                return null;
            _taken = true;
            return new Lease(this);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            if (_taken)
                return; // the lease disposes of the maps when it ends
            DisposeMaps();
        }
    }

    private void DisposeMaps()
    {
        foreach (var map in _roles.Values.SelectMany(r => r.Values))
            map.Copy.Dispose();
        _roles.Clear();
    }

    /// <summary>The pool, held by one cycle.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly CheckMapPool _pool;
        private bool _ended;

        internal Lease(CheckMapPool pool) => _pool = pool;

        /// <summary>The copies kept for <paramref name="role"/> (one variant's maps) that copy the live maps
        /// <paramref name="liveIds"/> names (by map name, the live map's id); the others are dropped.</summary>
        public IReadOnlyDictionary<string, BpfMapAccess> Kept(string role, IReadOnlyDictionary<string, uint> liveIds)
        {
            var kept = Role(role);
            foreach (var (name, (copy, liveId)) in kept.ToList())
            {
                if (liveIds.GetValueOrDefault(name) == liveId)
                    continue;
                copy.Dispose();
                kept.Remove(name);
            }
            return kept.ToDictionary(k => k.Key, k => (BpfMapAccess)k.Value.Copy, StringComparer.Ordinal);
        }

        /// <summary>Keeps <paramref name="copy"/> (a map a variant created, which the pool opens again by id: its own
        /// descriptor) as <paramref name="role"/>'s copy of the live map <paramref name="liveId"/>.</summary>
        public void Keep(string role, string name, BpfMapAccess copy, uint liveId)
        {
            var kept = Role(role);
            if (kept.ContainsKey(name))
                return;
            kept[name] = (BpfLoadedMap.OpenById(copy.Info().Id), liveId);
        }

        private Dictionary<string, (BpfLoadedMap Copy, uint LiveId)> Role(string role)
        {
            lock (_pool._lock)
            {
                if (!_pool._roles.TryGetValue(role, out var kept))
                    _pool._roles[role] = kept = new Dictionary<string, (BpfLoadedMap, uint)>(StringComparer.Ordinal);
                return kept;
            }
        }

        public void Dispose()
        {
            lock (_pool._lock)
            {
                if (_ended)
                    return;
                _ended = true;
                _pool._taken = false;
                if (_pool._disposed)
                    _pool.DisposeMaps();
            }
        }
    }
}
