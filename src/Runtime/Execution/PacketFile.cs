using Kecleon.Workloads;

namespace Kecleon.Runtime.Execution;

/// <summary>A packet given on the command line: a file of raw frame bytes, or a pcap file and the index of one of its frames.</summary>
public static class PacketFile
{
    /// <summary>Every frame of a pcap file (a trace of the user's traffic), with errors the user can act on.</summary>
    public static IReadOnlyList<byte[]> ReadTrace(string path)
    {
        if (!File.Exists(path))
            throw new InputNotFoundException($"{path}: no such pcap file");
        var bytes = File.ReadAllBytes(path);
        if (Pcap.IsPcapng(bytes))
            throw new InvalidInputException($"{path}: {Pcap.PcapngNotSupported}");
        if (!Pcap.IsPcap(bytes))
            throw new InvalidInputException($"{path}: not a pcap file (no pcap magic number)");
        try
        {
            return Pcap.Read(new MemoryStream(bytes)).Select(p => p.Frame).ToList();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException($"{path}: not a readable pcap file: {e.Message}");
        }
    }

    /// <summary>Reads a packet file: raw frame bytes, or the first frame of a pcap file.</summary>
    public static byte[] Read(string path, int index = 0)
    {
        if (!File.Exists(path))
            throw new InputNotFoundException($"{path}: no such packet file");
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var bytes = File.ReadAllBytes(path);
        if (Pcap.IsPcapng(bytes))
            throw new InvalidInputException($"{path}: {Pcap.PcapngNotSupported}");
        if (Pcap.IsPcap(bytes))
        {
            IReadOnlyList<byte[]> frames;
            try
            {
                frames = Pcap.Read(new MemoryStream(bytes)).Select(p => p.Frame).ToList();
            }
            catch (InvalidDataException e)
            {
                throw new InvalidInputException($"{path}: not a readable pcap file: {e.Message}");
            }
            if (index >= frames.Count)
                throw new InvalidInputException($"{path}: has {frames.Count} packet(s); there is no packet {index}");
            if (frames[index].Length < PacketRunner.MinFrameLength)
                throw new InvalidInputException($"{path}: packet {index} has {frames[index].Length} bytes, shorter than an Ethernet header ({PacketRunner.MinFrameLength} bytes)");
            return frames[index];
        }
        if (index != 0)
            throw new InvalidInputException($"{path}: a raw packet file holds one packet; --index applies to pcap files");
        if (bytes.Length < PacketRunner.MinFrameLength)
            throw new InvalidInputException($"{path}: {bytes.Length} bytes is shorter than an Ethernet header ({PacketRunner.MinFrameLength} bytes)");
        return bytes;
    }
}
