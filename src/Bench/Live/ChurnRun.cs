using System.Buffers.Binary;
using System.Diagnostics;
using Kecleon.Bpf;

namespace Kecleon.Bench.Live;

/// <summary>A fault a churn run injects to prove that it sees what it must.</summary>
public enum ChurnFault
{
    None,
    /// <summary>Each write reaches the live maps only when the next one is made: the live program answers as the maps
    /// before the write make it, as a specialized program left live past a write would. Every frame whose verdict a
    /// write changed is then stale.</summary>
    OneWriteLate,
}

/// <summary>How a churn run goes: for <see cref="Duration"/>, a control-plane write every <see cref="WriteEvery"/>, and
/// after each write <see cref="FramesPerWrite"/> frames through the live program, spread over about half the period.</summary>
public sealed record ChurnOptions(TimeSpan Duration, TimeSpan WriteEvery)
{
    public int FramesPerWrite { get; init; } = 250;
    public ChurnFault Fault { get; init; } = ChurnFault.None;
    public int Seed { get; init; } = 1;
}

/// <summary>One write as the run made it: its number, what it changed, and when its <c>bpf()</c> call returned (from the
/// start of the run).</summary>
public sealed record ChurnWrite(int Index, ChurnChange Change, TimeSpan Returned);

/// <summary>
/// What the live traffic of a churn run showed. Every frame sent after write k returned (and before write k+1) is
/// held to what the reference (the original on its own maps, holding the maps as of write k) makes of it:
/// <see cref="Stale"/> came out as the maps before the write make it, <see cref="Wrong"/> as neither,
/// <see cref="Missing"/> (expected out, never seen, nor a verdict the old maps give) were lost on the way.
/// <see cref="Changed"/> frames had their verdict or output changed by the write before them: what the run could catch.
/// </summary>
public sealed record ChurnTraffic(IReadOnlyList<ChurnWrite> Writes, long Frames, long Out, long Changed, long Stale, long Wrong, long Missing,
    TimeSpan Elapsed);

/// <summary>
/// The traffic and the control plane of a churn run on a <see cref="LiveSample"/>: frames tagged with the write they
/// follow (a 12-byte trailer past the packet: magic, write, sequence; the samples never read it) sent from the namespace
/// end by one <c>pktio stream</c>, captured on both ends by <c>pktio capture</c> (sent back on the peer, passed on the
/// host end), and matched against the reference at the end.
/// </summary>
public static class ChurnRun
{
    private const uint Magic = 0x4e48434b; // "KCHN"
    private const int TrailerLength = 12;

    /// <param name="written">Called after each write returned (a daemon's reading can start there).</param>
    public static ChurnTraffic Run(VethPair pair, LiveSample live, ChurnOptions options, Action<ChurnWrite>? written = null,
        CancellationToken cancel = default)
    {
        var trace = live.Trace(Workloads.Locality.High, 4000, options.Seed);
        var writer = ChurnWriter.For(live, trace, options.Fault);
        var directory = Directory.CreateTempSubdirectory("kecleon-churn-").FullName; // mkdtemp: 0700
        var processes = new HelperProcesses();
        try
        {
            var back = processes.Started(pair.StartInNamespace(PacketIo.Executable, $"capture {pair.PeerEnd} {directory}/back", redirectInput: true));
            var passed = processes.Started(VethPair.Start(PacketIo.Executable, $"capture {pair.HostEnd} {directory}/passed", redirectInput: true));
            if (back.StandardOutput.ReadLine() != "ready" || passed.StandardOutput.ReadLine() != "ready")
                throw new KecleonException($"cannot capture on {pair.HostEnd}/{pair.PeerEnd}: {back.StandardError.ReadToEnd()}{passed.StandardError.ReadToEnd()}");
            // Spread a write's frames over about half the period (usleep overshoots by some 60 µs a frame).
            var interval = Math.Max(0, (int)(options.WriteEvery.TotalMicroseconds * 0.5 / options.FramesPerWrite) - 60);
            var sender = processes.Started(pair.StartInNamespace(PacketIo.Executable, $"stream {pair.PeerEnd} {interval}", redirectInput: true));
            var input = sender.StandardInput.BaseStream;

            var expected = new Dictionary<(int Write, int Seq), (Outcome Now, Outcome Before)>();
            var writes = new List<ChurnWrite>();
            var clock = Stopwatch.StartNew();
            var position = 0;
            var count = (int)Math.Max(1, options.Duration.Ticks / options.WriteEvery.Ticks);
            for (var k = 0; k < count && !cancel.IsCancellationRequested; k++)
            {
                var frames = new byte[options.FramesPerWrite][];
                for (var seq = 0; seq < frames.Length; seq++)
                    frames[seq] = Tagged(trace[position++ % trace.Count], k, seq);
                // What the maps before the write make of these frames (connection tracking flushed, as the live one will be).
                writer.Flush(live: false);
                var before = frames.Select(f => Run(live, f)).ToArray();
                writer.Flush(live: true);
                var change = writer.Write(k);
                var write = new ChurnWrite(k, change, clock.Elapsed);
                writes.Add(write);
                written?.Invoke(write);
                var send = Task.Run(() =>
                {
                    var buffer = new MemoryStream();
                    foreach (var frame in frames)
                    {
                        buffer.Write(BitConverter.GetBytes((ushort)frame.Length));
                        buffer.Write(frame);
                    }
                    buffer.Write(BitConverter.GetBytes((ushort)0));
                    input.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
                    input.Flush();
                    return sender.StandardOutput.ReadLine();
                }, CancellationToken.None);
                // The same frames, in order, through the reference holding the new maps (its connection tracking flushed
                // with the live one's, growing as the live one does).
                writer.Flush(live: false);
                for (var seq = 0; seq < frames.Length; seq++)
                    expected[(k, seq)] = (Run(live, frames[seq]), before[seq]);
                if (send.Result != "sent")
                    throw new KecleonException($"the sender on {pair.PeerEnd} stopped: {sender.StandardError.ReadToEnd()}");
                // Let the last frames through the peer's queue before the next write, then keep the period.
                Thread.Sleep(2);
                var next = options.WriteEvery * (k + 1);
                if (clock.Elapsed < next)
                    Thread.Sleep(next - clock.Elapsed);
            }
            var elapsed = clock.Elapsed;
            sender.StandardInput.Close();
            sender.WaitForExit(10_000);
            Thread.Sleep(50);
            back.StandardInput.Close();
            passed.StandardInput.Close();
            if (!back.WaitForExit(30_000) || !passed.WaitForExit(30_000))
                throw new KecleonException("the captures did not finish");
            return Judge(expected, writes, PacketIo.ReadFrames(Path.Combine(directory, "back")),
                PacketIo.ReadFrames(Path.Combine(directory, "passed")), elapsed);
        }
        finally
        {
            processes.Dispose();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Where a frame goes: sent back (XDP_TX, or XDP_REDIRECT to the interface it came in on under a test run),
    /// passed to the stack, or nowhere; with the bytes that come out.</summary>
    internal readonly record struct Outcome(char Way, string Bytes)
    {
        public static readonly Outcome Dropped = new('d', "");
        public override string ToString() => Way switch { 'b' => "sent back", 'p' => "passed", _ => "dropped" };
    }

    private static Outcome Run(LiveSample live, byte[] frame)
    {
        var run = live.Reference.Program.TestRun(frame);
        return (XdpAction)run.ReturnValue switch
        {
            XdpAction.Tx or XdpAction.Redirect => new Outcome('b', Convert.ToHexString(run.Output)),
            XdpAction.Pass => new Outcome('p', Convert.ToHexString(run.Output)),
            _ => Outcome.Dropped,
        };
    }

    internal static byte[] Tagged(byte[] frame, int write, int seq)
    {
        var tagged = new byte[frame.Length + TrailerLength];
        frame.CopyTo(tagged, 0);
        BinaryPrimitives.WriteUInt32BigEndian(tagged.AsSpan(frame.Length), Magic);
        BinaryPrimitives.WriteInt32BigEndian(tagged.AsSpan(frame.Length + 4), write);
        BinaryPrimitives.WriteInt32BigEndian(tagged.AsSpan(frame.Length + 8), seq);
        return tagged;
    }

    private static (int Write, int Seq)? Tag(byte[] frame) =>
        frame.Length >= TrailerLength && BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(frame.Length - TrailerLength)) == Magic
            ? (BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(frame.Length - 8)), BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(frame.Length - 4)))
            : null;

    internal static ChurnTraffic Judge(Dictionary<(int Write, int Seq), (Outcome Now, Outcome Before)> expected, IReadOnlyList<ChurnWrite> writes,
        IReadOnlyList<byte[]> back, IReadOnlyList<byte[]> passed, TimeSpan elapsed)
    {
        var seen = new Dictionary<(int, int), Outcome>();
        foreach (var (frames, way) in new[] { (back, 'b'), (passed, 'p') })
            foreach (var frame in frames)
                if (Tag(frame) is { } tag && expected.ContainsKey(tag))
                    seen[tag] = new Outcome(way, Convert.ToHexString(frame));
        long changed = 0, stale = 0, wrong = 0, missing = 0;
        foreach (var (tag, (now, before)) in expected)
        {
            if (now != before)
                changed++;
            var actual = seen.GetValueOrDefault(tag, Outcome.Dropped);
            if (actual == now)
                continue;
            if (actual == before)
                stale++;
            else if (actual == Outcome.Dropped)
                missing++;
            else
                wrong++;
        }
        return new ChurnTraffic(writes, expected.Count, seen.Count, changed, stale, wrong, missing, elapsed);
    }
}
