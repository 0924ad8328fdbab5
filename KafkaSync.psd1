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
    FormatsToProcess     = @('KafkaSync.Queue.format.ps1xml', 'KafkaSync.Framing.format.ps1xml', 'KafkaSync.Link.format.ps1xml', 'KafkaSync.Kafka.format.ps1xml', 'KafkaSync.Tsdb.format.ps1xml')
    CmdletsToExport      = @('Get-KafkaSyncQueue', 'Get-KafkaSyncQueueRecord', 'Repair-KafkaSyncQueue', 'New-KafkaSyncFrameDictionary', 'Receive-KafkaSyncQueue', 'Send-KafkaSyncQueue', 'Start-KafkaSyncSource', 'Start-KafkaSyncTarget', 'Get-KafkaSyncStatus', 'Start-KafkaSyncEmbeddedCluster', 'Stop-KafkaSyncEmbeddedCluster', 'Get-KafkaSyncEmbeddedCluster', 'Start-KafkaSyncTsdbCluster', 'Start-KafkaSyncTsdbBalancer', 'Get-KafkaSyncTsdbNode', 'Get-KafkaSyncTsdbTimeline')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Kafka', 'Replication', 'MirrorMaker', 'InfluxDB', 'VictoriaMetrics', 'zstd')
            ProjectUri = ''
        }
    }
}
