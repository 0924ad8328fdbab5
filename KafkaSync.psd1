@{
    RootModule           = 'KafkaSync.PowerShell.dll'
    # Imported before the root module: it gives the engine its own load context (see docs).
    NestedModules        = @('KafkaSync.ModuleLoader.dll')
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f7d3e-6a41-4c2e-9d8a-3f1c2b7e9a10'
    Author               = 'KafkaSync contributors'
    CompanyName          = 'KafkaSync'
    Copyright            = '(c) KafkaSync contributors.'
    Description          = 'Syncs Kafka topics between sites through sequenced disk queues, zstd frames and a resumable authenticated link; keeps time-series nodes filled from Kafka with failover and load-balanced reads.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('KafkaSync.Queue.format.ps1xml', 'KafkaSync.Framing.format.ps1xml', 'KafkaSync.Link.format.ps1xml', 'KafkaSync.Kafka.format.ps1xml', 'KafkaSync.Tsdb.format.ps1xml', 'KafkaSync.Offsets.format.ps1xml', 'KafkaSync.Agents.format.ps1xml')
    CmdletsToExport      = @('Get-KafkaSyncQueue', 'Get-KafkaSyncQueueRecord', 'Repair-KafkaSyncQueue', 'New-KafkaSyncFrameDictionary', 'Receive-KafkaSyncQueue', 'Send-KafkaSyncQueue', 'New-KafkaSyncLinkKey', 'Start-KafkaSyncSource', 'Start-KafkaSyncTarget', 'Get-KafkaSyncStatus', 'Start-KafkaSyncEmbeddedCluster', 'Stop-KafkaSyncEmbeddedCluster', 'Get-KafkaSyncEmbeddedCluster', 'Start-KafkaSyncTsdbCluster', 'Start-KafkaSyncTsdbBalancer', 'Get-KafkaSyncTsdbNode', 'Get-KafkaSyncTsdbTimeline', 'Get-KafkaSyncOffset', 'Sync-KafkaSyncConsumerGroup', 'Get-KafkaSyncAgent', 'Stop-KafkaSyncAgent', 'Wait-KafkaSyncAgent', 'Wait-KafkaSyncTsdbNode')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    # Read by PSResourceGet when the package is built (./build.sh package) and shown by Find-PSResource.
    PrivateData          = @{
        PSData = @{
            Tags         = @('Kafka', 'Replication', 'MirrorMaker', 'InfluxDB', 'VictoriaMetrics', 'TimeSeries', 'zstd', 'Linux', 'Windows', 'MacOS')
            ReleaseNotes = @'
0.1.0
- Cross-site Kafka sync: source and target agents (Start-KafkaSyncSource, Start-KafkaSyncTarget) through sequenced disk queues and a zstd-compressed, mutually authenticated, resumable link; Get-KafkaSyncStatus from any session.
- Disk queue tools: Get-KafkaSyncQueue, Get-KafkaSyncQueueRecord, Repair-KafkaSyncQueue; the link alone: Send-KafkaSyncQueue, Receive-KafkaSyncQueue; New-KafkaSyncFrameDictionary.
- Time-series cluster fed from Kafka: Start-KafkaSyncTsdbCluster, Start-KafkaSyncTsdbBalancer, Get-KafkaSyncTsdbNode, Get-KafkaSyncTsdbTimeline.
- Long-running work the PowerShell way: Get-KafkaSyncAgent lists the agents, time-series services and link ends running on this machine (from any session, also those of the kafkasync host), Stop-KafkaSyncAgent stops them cleanly (-WhatIf, -PassThru), Wait-KafkaSyncAgent waits until they stop or catch up, Wait-KafkaSyncTsdbNode until a node is Available; -AsJob on Start-KafkaSyncTsdbCluster, Start-KafkaSyncTsdbBalancer, Send-KafkaSyncQueue and Receive-KafkaSyncQueue.
- An embedded Kafka cluster to try it: Start-KafkaSyncEmbeddedCluster, Stop-KafkaSyncEmbeddedCluster.
- Full help for every cmdlet (Get-Help NAME -Full) and about_KafkaSync topics; docs in the module's docs folder.
'@
        }
    }
}
