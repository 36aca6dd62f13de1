using Kecleon.Bench.Live;
using Kecleon.Bpf;
using Kecleon.Runtime.Guards;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Runtime.Tests.Guards;

/// <summary>The guard table in bpffs: it outlives its process (here: its object), and a later open finds the same maps,
/// registrations and hook.</summary>
[Trait("Tier", "Kernel")]
public sealed class PinnedGuardTableTests : IDisposable
{
    private readonly string _directory = $"/sys/fs/bpf/kecleon-test-guards-{Guid.NewGuid():N}"[..48];

    public void Dispose()
    {
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
        VethPair.RemoveLockFiles(_directory);
    }

    private static BpfLoadedMap NewMap() => BpfLoadedMap.Create(BpfMapType.Hash, "pinned_test", 4, 8, 16);

    [Fact]
    public void A_reopened_table_has_the_same_registrations_and_its_hook_stayed_attached()
    {
        using var map = NewMap();
        int slot;
        ulong version;
        using (var table = GuardTable.OpenPinned(_directory))
        {
            Assert.False(table.IsAttached);
            slot = table.Register(map);
            version = table.Version(slot);
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();

        // Nobody holds the table now but its pins: a write is still seen.
        map.Update(BitConverter.GetBytes(1u), BitConverter.GetBytes(1ul));
        using (var table = GuardTable.OpenPinned(_directory))
        {
            Assert.True(table.IsAttached);
            Assert.Equal(slot, table.SlotOf(map.Id));
            Assert.Equal(version + 2, table.Version(slot));
            var registration = Assert.Single(table.Registrations);
            Assert.Equal(map.Id, registration.MapId);

            table.Unregister(slot);
            Assert.False(table.IsAttached);
            Assert.False(File.Exists(Path.Combine(_directory, "enter_link")));
            Assert.False(File.Exists(Path.Combine(_directory, "exit_link")));
        }
        map.Update(BitConverter.GetBytes(1u), BitConverter.GetBytes(2ul));
        using (var table = GuardTable.OpenPinned(_directory))
        {
            Assert.Empty(table.Registrations);
            Assert.Equal(version + 2, table.Version(slot));
        }
    }

    [Fact]
    public void A_pinned_table_refuses_to_suspend_its_hook()
    {
        using var map = NewMap();
        using var table = GuardTable.OpenPinned(_directory);
        var slot = table.Register(map);
        var refused = Assert.Throws<InvalidOperationException>(() => table.SuspendHook());
        Assert.Contains("pinned", refused.Message, StringComparison.Ordinal);
        Assert.True(table.IsAttached);
        table.Unregister(slot);
    }

    [Fact]
    public void A_registration_of_a_map_that_is_gone_is_dropped_on_open()
    {
        using (var table = GuardTable.OpenPinned(_directory))
        using (var map = NewMap())
            table.Register(map);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        // The map's last fd is closed: the kernel frees it (after an RCU grace period).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var table = GuardTable.OpenPinned(_directory);
            if (table.Registrations.Count == 0)
            {
                Assert.False(table.IsAttached);
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "the registration of a freed map was not dropped");
            Thread.Sleep(50);
        }
    }

    [Fact]
    public void One_process_at_a_time_holds_the_pinned_table()
    {
        using (GuardTable.OpenPinned(_directory))
        {
            var error = Assert.Throws<GuardException>(() => GuardTable.OpenPinned(_directory, TimeSpan.FromMilliseconds(200)));
            Assert.Contains("another Kecleon process holds the guard table", error.Message, StringComparison.Ordinal);
        }
        using var again = GuardTable.OpenPinned(_directory, TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Pins_that_are_not_a_guard_table_are_refused()
    {
        Directory.CreateDirectory(_directory);
        using (var wrong = BpfLoadedMap.Create(BpfMapType.Array, "not_guards", 4, 4, 8))
            wrong.Pin(Path.Combine(_directory, "versions"));
        using (var registry = BpfLoadedMap.Create(BpfMapType.Hash, "registry", 4, 4, 256))
            registry.Pin(Path.Combine(_directory, "registry"));
        var error = Assert.Throws<GuardException>(() => GuardTable.OpenPinned(_directory));
        Assert.Contains("not a guard map", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Opening_and_disposing_the_pinned_table_leaks_no_fd()
    {
        using var map = NewMap();
        FdLeakCheck.AssertNoLeak(() =>
        {
            using var table = GuardTable.OpenPinned(_directory);
            var slot = table.Register(map);
            table.Unregister(slot);
        }, iterations: 3);
    }
}
