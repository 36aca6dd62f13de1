namespace Kecleon.Workloads;

/// <summary>
/// One key/value pair for a BPF map, in the exact byte layout of the map's C
/// key and value structs (host byte order for integers unless the C says
/// network order, explicit padding included).
/// </summary>
public sealed record MapEntry(byte[] Key, byte[] Value);
