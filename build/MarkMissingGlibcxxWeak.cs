// MSBuild task (compiled by RoslynCodeTaskFactory from build/TorchSharpNative.targets).
//
// Why: TorchSharp 0.107's libLibTorchSharp.so declares a need for GLIBCXX_3.4.32 (GCC 13) although the only
// symbol it takes from that version, std::ios_base_library_init, is never relocated. Debian 12 ships
// libstdc++ up to GLIBCXX_3.4.30, so the dynamic loader refuses the library and TorchSharp reports a misleading
// "libtorch-cpu-linux-x64 ... is not restored". Setting VER_FLG_WEAK on that version requirement in
// .gnu.version_r turns the hard failure into ld.so's "weak version not found" note, and the library loads.
//
// The task edits only the copy in a build output folder (never the NuGet cache), only the libstdc++ version
// requirements that the system's libstdc++ lacks, writes through a temporary file and an atomic rename (which
// also breaks any hard link to the cache), and is idempotent.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class MarkMissingGlibcxxWeak : Microsoft.Build.Utilities.Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;
    private const string StdCxxSoname = "libstdc++.so.6";

    /// <summary>ELF shared objects to patch in place (build output copies).</summary>
    [Required]
    public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>Folders searched for the system libstdc++.so.6, first hit wins.</summary>
    public string SystemLibraryDirs { get; set; } =
        "/usr/lib/x86_64-linux-gnu;/lib/x86_64-linux-gnu;/usr/lib64;/lib64;/usr/lib;/usr/lib/aarch64-linux-gnu";

    public override bool Execute()
    {
        string? systemStdCxx = FindSystemStdCxx();
        if (systemStdCxx is null)
        {
            Log.LogMessage(MessageImportance.Low, "No system libstdc++.so.6 found; TorchSharp native libraries left as shipped.");
            return true;
        }
        byte[] systemImage = File.ReadAllBytes(systemStdCxx);
        foreach (ITaskItem item in Libraries)
        {
            string path = item.GetMetadata("FullPath");
            if (!File.Exists(path)) continue;
            try
            {
                PatchOne(path, systemImage, systemStdCxx);
            }
            catch (InvalidDataException e)
            {
                Log.LogError("Cannot patch {0}: {1}", path, e.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    private string? FindSystemStdCxx()
    {
        foreach (string dir in SystemLibraryDirs.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, StdCxxSoname);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private void PatchOne(string path, byte[] systemImage, string systemStdCxx)
    {
        byte[] image = File.ReadAllBytes(path);
        List<string> weakened = new();
        foreach ((int flagsOffset, string version) in StdCxxVersionRequirements(image))
        {
            ushort flags = BitConverter.ToUInt16(image, flagsOffset);
            if ((flags & VerFlgWeak) != 0 || SystemDefines(systemImage, version)) continue;
            BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(image, flagsOffset);
            weakened.Add(version);
        }
        if (weakened.Count == 0)
        {
            Log.LogMessage(MessageImportance.Low, "{0}: nothing to patch against {1}.", path, systemStdCxx);
            return;
        }
        string temp = path + ".patching";
        File.WriteAllBytes(temp, image);
        File.Replace(temp, path, null); // rename(2): atomic, and breaks any hard link
        Log.LogMessage(MessageImportance.High, "{0}: marked {1} weak ({2} lacks it).",
            Path.GetFileName(path), string.Join(", ", weakened), systemStdCxx);
    }

    private static bool SystemDefines(byte[] systemImage, string version)
    {
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        return IndexOf(systemImage, needle) >= 0;
    }

    /// <summary>Yields (offset of vna_flags, version name) for each Vernaux of the libstdc++ Verneed entry.</summary>
    private static IEnumerable<(int FlagsOffset, string Version)> StdCxxVersionRequirements(byte[] image)
    {
        if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (image[4] != 2 || image[5] != 1)
            throw new InvalidDataException("only little-endian ELF64 is supported");
        long shoff = BitConverter.ToInt64(image, 0x28);
        int shentsize = BitConverter.ToUInt16(image, 0x3A);
        int shnum = BitConverter.ToUInt16(image, 0x3C);
        if (shoff <= 0 || shentsize < 64 || shoff + (long)shnum * shentsize > image.Length)
            throw new InvalidDataException("section header table out of bounds");
        var result = new List<(int, string)>();
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)(shoff + (long)i * shentsize));
            if (BitConverter.ToUInt32(image, sh + 4) != ShtGnuVerneed) continue;
            int verneed = checked((int)BitConverter.ToInt64(image, sh + 24));
            int link = (int)BitConverter.ToUInt32(image, sh + 40);
            int count = (int)BitConverter.ToUInt32(image, sh + 44);
            int strtab = checked((int)BitConverter.ToInt64(image, checked((int)(shoff + (long)link * shentsize)) + 24));
            int vn = verneed;
            for (int n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(image, vn + 2);
                string file = ReadCString(image, strtab + (int)BitConverter.ToUInt32(image, vn + 4));
                if (file == StdCxxSoname)
                {
                    int aux = vn + (int)BitConverter.ToUInt32(image, vn + 8);
                    for (int a = 0; a < auxCount; a++)
                    {
                        string name = ReadCString(image, strtab + (int)BitConverter.ToUInt32(image, aux + 8));
                        result.Add((aux + 4, name)); // Elf64_Vernaux: vna_hash(4) vna_flags(2) vna_other(2) vna_name(4) vna_next(4)
                        uint next = BitConverter.ToUInt32(image, aux + 12);
                        if (next == 0) break;
                        aux += (int)next;
                    }
                }
                uint vnNext = BitConverter.ToUInt32(image, vn + 12);
                if (vnNext == 0) break;
                vn += (int)vnNext;
            }
        }
        return result;
    }

    private static string ReadCString(byte[] image, int offset)
    {
        int end = offset;
        while (end < image.Length && image[end] != 0) end++;
        return Encoding.ASCII.GetString(image, offset, end - offset);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }
}
