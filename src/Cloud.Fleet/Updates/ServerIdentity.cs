namespace EdgeSkyrmion.Cloud.Fleet.Updates;

/// <summary>Who this server is (told to devices in Welcome); which key signs its updates is the <see cref="KeyRing"/>'s.</summary>
public sealed record ServerIdentity(string ServerId);
