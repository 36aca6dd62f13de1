namespace Kecleon.Workloads;

/// <summary>A PROG_ARRAY slot a sample's loader fills with one of the sample's own programs: a stage of a chain, which the
/// stage before it tail-calls.</summary>
/// <param name="Map">The PROG_ARRAY, by name.</param>
/// <param name="Program">The program (its function name in the object) the slot holds.</param>
public sealed record ProgramSlot(string Map, uint Index, string Program);
