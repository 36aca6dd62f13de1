using System.Buffers;
using Kecleon.Interop;

namespace Kecleon.Bpf;

/// <summary>
/// Reads and writes a kernel map through its fd. Keys and values are raw bytes in the program's own layout; for per-CPU
/// maps a value holds one 8-byte-aligned slot per possible CPU.
/// </summary>
public abstract class BpfMapAccess
{
    public abstract int Fd { get; }
    public abstract string Name { get; }
    public abstract BpfMapType Type { get; }
    public abstract int KeySize { get; }
    public abstract int ValueSize { get; }
    public abstract int MaxEntries { get; }

    public static int PossibleCpus { get; } = CountPossibleCpus();

    private static int CountPossibleCpus()
    {
        NativeLibraries.Load(NativeLibraries.Bpf);
        var count = LibbpfApi.libbpf_num_possible_cpus();
        return count > 0 ? count : throw BpfException.FromErrno("count possible CPUs", -count);
    }

    /// <summary>Bytes of one CPU's copy of a per-CPU value in the syscalls' buffer: the value rounded up to 8.</summary>
    public static int PerCpuStride(int valueSize) => (valueSize + 7) & ~7;

    /// <summary>Bytes of a value as the syscalls see it (all CPUs' copies for per-CPU maps).</summary>
    public int SyscallValueSize => Type.IsPerCpu() ? PerCpuStride(ValueSize) * PossibleCpus : ValueSize;

    public byte[]? Lookup(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        var value = new byte[SyscallValueSize];
        var rc = LibbpfApi.bpf_map_lookup_elem(Fd, key, value);
        if (rc == -Errno.ENOENT)
            return null;
        return rc < 0 ? throw BpfException.FromErrno($"look up in map {Name}", -rc) : value;
    }

    public void Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        CheckKey(key);
        if (value.Length != SyscallValueSize)
            throw new ArgumentException($"map {Name}: value is {value.Length} bytes, the map takes {SyscallValueSize}", nameof(value));
        var rc = LibbpfApi.bpf_map_update_elem(Fd, key, value, (ulong)flags);
        if (rc < 0)
            throw BpfException.FromErrno($"update map {Name}", -rc);
    }

    /// <summary>Deletes a key; false when it was not there.</summary>
    public bool Delete(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        var rc = LibbpfApi.bpf_map_delete_elem(Fd, key);
        if (rc == -Errno.ENOENT)
            return false;
        return rc < 0 ? throw BpfException.FromErrno($"delete from map {Name}", -rc) : true;
    }

    /// <summary>Takes the next value out of a queue or stack (<c>BPF_MAP_LOOKUP_AND_DELETE_ELEM</c> without a key); null
    /// when it is empty.</summary>
    public byte[]? Pop()
    {
        var value = new byte[SyscallValueSize];
        var rc = LibbpfApi.bpf_map_lookup_and_delete_elem(Fd, [], value);
        if (rc == -Errno.ENOENT)
            return null;
        return rc < 0 ? throw BpfException.FromErrno($"pop from map {Name}", -rc) : value;
    }

    /// <summary>All keys, by <c>BPF_MAP_GET_NEXT_KEY</c>.</summary>
    public IEnumerable<byte[]> Keys()
    {
        var keys = new List<byte[]>();
        byte[]? previous = null;
        while (true)
        {
            var next = new byte[KeySize];
            var rc = LibbpfApi.bpf_map_get_next_key(Fd, previous, next);
            if (rc == -Errno.ENOENT)
                return keys;
            if (rc < 0)
                throw BpfException.FromErrno($"iterate map {Name}", -rc);
            keys.Add(next);
            previous = next;
        }
    }

    /// <summary>Every entry. Uses <c>BPF_MAP_LOOKUP_BATCH</c> where the kernel has it for this map type, one lookup per key
    /// otherwise. Not a snapshot: concurrent writers may be seen half-way.</summary>
    public IReadOnlyList<(byte[] Key, byte[] Value)> Entries()
    {
        if (TryLookupBatch(out var batch))
            return batch;
        var entries = new List<(byte[], byte[])>();
        foreach (var key in Keys())
            if (Lookup(key) is { } value)
                entries.Add((key, value));
        return entries;
    }

    private bool TryLookupBatch(out List<(byte[], byte[])> entries)
    {
        entries = [];
        if (Type is not (BpfMapType.Hash or BpfMapType.LruHash or BpfMapType.PerCpuHash or BpfMapType.LruPerCpuHash
            or BpfMapType.Array or BpfMapType.PerCpuArray or BpfMapType.LpmTrie))
            return false;
        // Entries per syscall: a 20,000-entry blocklist in 5 calls rather than 80, within 1 MiB of buffers.
        var keySize = KeySize;
        var valueSize = SyscallValueSize;
        var chunk = Math.Clamp(Math.Min(MaxEntries, (1 << 20) / Math.Max(1, keySize + valueSize)), 1, 4096);
        // The buffers are rented, not allocated: a check reads a connection table every few packets, and each read made
        // (and zeroed) up to 128 KiB of them.
        var keyBuffer = ArrayPool<byte>.Shared.Rent(chunk * keySize);
        var valueBuffer = ArrayPool<byte>.Shared.Rent(chunk * valueSize);
        try
        {
            var keys = keyBuffer.AsSpan(0, chunk * keySize);
            var values = valueBuffer.AsSpan(0, chunk * valueSize);
            // Hash maps use an opaque 4-byte-or-larger batch cursor; give it a key's room.
            Span<byte> cursorIn = stackalloc byte[Math.Max(keySize, 8)];
            Span<byte> cursorOut = stackalloc byte[Math.Max(keySize, 8)];
            var first = true;
            while (true)
            {
                var count = (uint)chunk;
                var rc = LibbpfApi.bpf_map_lookup_batch(Fd, first ? [] : cursorIn, cursorOut, keys, values, ref count);
                if (rc < 0 && rc != -Errno.ENOENT)
                {
                    if (first && rc is -Errno.EINVAL or -Errno.EOPNOTSUPP)
                        return false;
                    throw BpfException.FromErrno($"read map {Name} in batches", -rc);
                }
                for (var i = 0; i < count; i++)
                    entries.Add((keys.Slice(i * keySize, keySize).ToArray(), values.Slice(i * valueSize, valueSize).ToArray()));
                if (rc == -Errno.ENOENT)
                    return true;
                cursorOut.CopyTo(cursorIn);
                first = false;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(keyBuffer);
            ArrayPool<byte>.Shared.Return(valueBuffer);
        }
    }

    /// <summary>Writes many entries: <c>BPF_MAP_UPDATE_BATCH</c> where the kernel has it for this map type (a few syscalls
    /// for a 655,370-slot ring instead of one per slot), one update per entry otherwise.</summary>
    public void UpdateBatch(IReadOnlyList<(byte[] Key, byte[] Value)> entries)
    {
        if (entries.Count == 0)
            return;
        if (Type is not (BpfMapType.Hash or BpfMapType.LruHash or BpfMapType.PerCpuHash or BpfMapType.LruPerCpuHash
            or BpfMapType.Array or BpfMapType.PerCpuArray))
        {
            foreach (var (key, value) in entries)
                Update(key, value);
            return;
        }
        const int chunk = 4096;
        var keySize = KeySize;
        var valueSize = SyscallValueSize;
        var keys = new byte[chunk * keySize];
        var values = new byte[chunk * valueSize];
        for (var start = 0; start < entries.Count; start += chunk)
        {
            var count = Math.Min(chunk, entries.Count - start);
            for (var i = 0; i < count; i++)
            {
                var (key, value) = entries[start + i];
                CheckKey(key);
                if (value.Length != valueSize)
                    throw new ArgumentException($"map {Name}: value is {value.Length} bytes, the map takes {valueSize}");
                key.CopyTo(keys, i * keySize);
                value.CopyTo(values, i * valueSize);
            }
            var done = (uint)count;
            var rc = LibbpfApi.bpf_map_update_batch(Fd, keys, values, ref done);
            if (rc < 0)
                throw BpfException.FromErrno($"update map {Name} in batches ({start + (int)done} of {entries.Count} written)", -rc);
        }
    }

    /// <summary>Removes every entry (array maps: sets every value to zero).</summary>
    public void Clear()
    {
        if (Type.IsArrayLike())
        {
            var zero = new byte[SyscallValueSize];
            foreach (var key in Keys())
                Update(key, zero);
            return;
        }
        foreach (var key in Keys())
            Delete(key);
    }

    /// <summary>Makes the map read-only from user space from now on (<c>BPF_MAP_FREEZE</c>).</summary>
    public void Freeze()
    {
        var rc = LibbpfApi.bpf_map_freeze(Fd);
        if (rc < 0)
            throw BpfException.FromErrno($"freeze map {Name}", -rc);
    }

    public BpfMapInfo Info() => BpfMapInfo.FromFd(Fd);

    private void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
            throw new ArgumentException($"map {Name}: key is {key.Length} bytes, the map takes {KeySize}", nameof(key));
    }
}

/// <summary>A map opened by id or pin path, outside any object of ours; we own its fd.</summary>
public sealed class BpfLoadedMap : BpfMapAccess, IDisposable
{
    private readonly BpfFd _fd;
    private readonly BpfMapInfo _info;

    public BpfLoadedMap(BpfFd fd)
    {
        _fd = fd;
        _info = BpfMapInfo.FromFd(fd.Value);
    }

    public static BpfLoadedMap OpenById(uint id) => new(BpfFd.OpenMapById(id));

    /// <summary>Creates a map (<c>BPF_MAP_CREATE</c>) with no flags.</summary>
    public static BpfLoadedMap Create(BpfMapType type, string name, int keySize, int valueSize, int maxEntries)
    {
        var fd = LibbpfApi.bpf_map_create((int)type, name, (uint)keySize, (uint)valueSize, (uint)maxEntries);
        return fd >= 0 ? new(new BpfFd(fd)) : throw BpfException.FromErrno($"create map {name}", -fd);
    }

    /// <summary>Creates a map with <paramref name="like"/>'s definition (type, sizes, flags), empty.</summary>
    public static BpfLoadedMap CreateLike(BpfLoadedMap like)
    {
        var fd = LibbpfApi.bpf_map_create((int)like.Type, like.Name, (uint)like.KeySize, (uint)like.ValueSize, (uint)like.MaxEntries, (uint)like.Flags);
        return fd >= 0 ? new(new BpfFd(fd)) : throw BpfException.FromErrno($"create a copy of map {like.Name}", -fd);
    }
    public static BpfLoadedMap OpenPinned(string path) => new(BpfFd.OpenPinned(path));

    public override int Fd => _fd.Value;
    public override string Name => _info.Name;
    public override BpfMapType Type => _info.Type;
    public override int KeySize => (int)_info.KeySize;
    public override int ValueSize => (int)_info.ValueSize;
    public override int MaxEntries => (int)_info.MaxEntries;
    public uint Id => _info.Id;
    public BpfMapFlags Flags => _info.Flags;

    public void Pin(string path) => BpfFd.Pin(_fd.Value, path);

    public void Dispose() => _fd.Dispose();
}
