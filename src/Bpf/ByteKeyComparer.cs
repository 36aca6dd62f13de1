namespace Kecleon.Bpf;

/// <summary>Map keys (and values) compared by their bytes: a dictionary of a map's entries by key.</summary>
public sealed class ByteKeyComparer : IEqualityComparer<byte[]>
{
    public static readonly ByteKeyComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] key)
    {
        var hash = new HashCode();
        hash.AddBytes(key);
        return hash.ToHashCode();
    }
}
