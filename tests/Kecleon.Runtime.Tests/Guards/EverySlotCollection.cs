using Xunit;

namespace Kecleon.Runtime.Tests.Guards;

/// <summary>
/// Tests that make every guard table's hook bump every slot (a syscall program's test run, a write to a map of maps):
/// the hook of any table open in the process sees them, so a test running beside them would find its own specialized
/// program stale. They run alone, with no other test in parallel.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EverySlotCollection
{
    public const string Name = "every guard slot bumped";
}
