; ModuleID = 'site_left_alone.c'
source_filename = "site_left_alone.c"
target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

%struct.anon = type { [1 x i32]*, [16 x i32]*, i32*, i64* }
%struct.anon.0 = type { [1 x i32]*, [16 x i32]*, i32*, i32* }
%struct.anon.1 = type { [1 x i32]*, [16 x i32]*, i32*, i32* }
%struct.anon.2 = type { [1 x i32]*, [16 x i32]*, i32*, %struct.weights* }
%struct.weights = type { [4 x i32] }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1, !dbg !0
@counters = dso_local global %struct.anon zeroinitializer, section ".maps", align 8, !dbg !23
@unread = dso_local global %struct.anon.0 zeroinitializer, section ".maps", align 8, !dbg !43
@aligned = dso_local global %struct.anon.1 zeroinitializer, section ".maps", align 8, !dbg !51
@weighted = dso_local global %struct.anon.2 zeroinitializer, section ".maps", align 8, !dbg !59
@llvm.compiler.used = appending global [6 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (%struct.anon.1* @aligned to i8*), i8* bitcast (%struct.anon* @counters to i8*), i8* bitcast (i32 (%struct.xdp_md*)* @site_left_alone to i8*), i8* bitcast (%struct.anon.0* @unread to i8*), i8* bitcast (%struct.anon.2* @weighted to i8*)], section "llvm.metadata"

; Function Attrs: nounwind
define dso_local i32 @site_left_alone(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" !dbg !89 {
  %2 = alloca i32, align 4
  call void @llvm.dbg.value(metadata %struct.xdp_md* %0, metadata !102, metadata !DIExpression()), !dbg !124
  %3 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 0, !dbg !125
  %4 = load i32, i32* %3, align 4, !dbg !125, !tbaa !126
  %5 = zext i32 %4 to i64, !dbg !131
  call void @llvm.dbg.value(metadata i64 %5, metadata !103, metadata !DIExpression()), !dbg !124
  %6 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1, !dbg !132
  %7 = load i32, i32* %6, align 4, !dbg !132, !tbaa !133
  %8 = zext i32 %7 to i64, !dbg !134
  %9 = inttoptr i64 %8 to i8*, !dbg !135
  call void @llvm.dbg.value(metadata i8* %9, metadata !104, metadata !DIExpression()), !dbg !124
  %10 = inttoptr i64 %5 to %struct.ethhdr*, !dbg !136
  call void @llvm.dbg.value(metadata %struct.ethhdr* %10, metadata !105, metadata !DIExpression()), !dbg !124
  %11 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 1, i32 0, i64 0, !dbg !137
  %12 = icmp ugt i8* %11, %9, !dbg !139
  br i1 %12, label %51, label %13, !dbg !140

13:                                               ; preds = %1
  %14 = bitcast i32* %2 to i8*, !dbg !141
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %14) #4, !dbg !141
  %15 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 0, i32 2, !dbg !142
  %16 = load i16, i16* %15, align 1, !dbg !142, !tbaa !143
  %17 = tail call i16 @llvm.bswap.i16(i16 %16), !dbg !142
  %18 = zext i16 %17 to i32, !dbg !142
  call void @llvm.dbg.value(metadata i32 %18, metadata !119, metadata !DIExpression()), !dbg !124
  store i32 %18, i32* %2, align 4, !dbg !146, !tbaa !147
  call void @llvm.dbg.value(metadata i32* %2, metadata !119, metadata !DIExpression(DW_OP_deref)), !dbg !124
  %19 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon* @counters to i8*), i8* noundef nonnull %14) #4, !dbg !148
  call void @llvm.dbg.value(metadata i8* %19, metadata !120, metadata !DIExpression()), !dbg !124
  %20 = icmp eq i8* %19, null, !dbg !149
  br i1 %20, label %24, label %21, !dbg !151

21:                                               ; preds = %13
  %22 = bitcast i8* %19 to i64*, !dbg !148
  call void @llvm.dbg.value(metadata i64* %22, metadata !120, metadata !DIExpression()), !dbg !124
  %23 = atomicrmw add i64* %22, i64 1 seq_cst, align 8, !dbg !152
  br label %24, !dbg !152

24:                                               ; preds = %21, %13
  call void @llvm.dbg.value(metadata i32* %2, metadata !119, metadata !DIExpression(DW_OP_deref)), !dbg !124
  %25 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.0* @unread to i8*), i8* noundef nonnull %14) #4, !dbg !153
  call void @llvm.dbg.value(metadata i8* %25, metadata !121, metadata !DIExpression()), !dbg !124
  %26 = icmp eq i8* %25, null, !dbg !154
  br i1 %26, label %31, label %27, !dbg !156

27:                                               ; preds = %24
  %28 = bitcast i8* %25 to i32*, !dbg !153
  call void @llvm.dbg.value(metadata i32* %28, metadata !121, metadata !DIExpression()), !dbg !124
  %29 = load i32, i32* %28, align 4, !dbg !157, !tbaa !147
  %30 = icmp eq i32 %29, 0, !dbg !157
  br i1 %30, label %31, label %49, !dbg !158

31:                                               ; preds = %27, %24
  call void @llvm.dbg.value(metadata i32* %2, metadata !119, metadata !DIExpression(DW_OP_deref)), !dbg !124
  %32 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.1* @aligned to i8*), i8* noundef nonnull %14) #4, !dbg !159
  call void @llvm.dbg.value(metadata i8* %32, metadata !122, metadata !DIExpression()), !dbg !124
  %33 = icmp eq i8* %32, null, !dbg !160
  %34 = ptrtoint i8* %32 to i64
  %35 = and i64 %34, 4
  %36 = icmp eq i64 %35, 0
  %37 = select i1 %33, i1 true, i1 %36, !dbg !162
  call void @llvm.dbg.value(metadata i64 %34, metadata !122, metadata !DIExpression()), !dbg !124
  br i1 %37, label %38, label %49, !dbg !162

38:                                               ; preds = %31
  call void @llvm.dbg.value(metadata i32* %2, metadata !119, metadata !DIExpression(DW_OP_deref)), !dbg !124
  %39 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.2* @weighted to i8*), i8* noundef nonnull %14) #4, !dbg !163
  call void @llvm.dbg.value(metadata i8* %39, metadata !123, metadata !DIExpression()), !dbg !124
  %40 = icmp eq i8* %39, null, !dbg !164
  br i1 %40, label %49, label %41, !dbg !166

41:                                               ; preds = %38
  call void @llvm.dbg.value(metadata i8* %39, metadata !123, metadata !DIExpression()), !dbg !124
  %42 = bitcast i8* %39 to [4 x i32]*, !dbg !167
  %43 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 0, i32 0, i64 0, !dbg !168
  %44 = load i8, i8* %43, align 1, !dbg !168, !tbaa !169
  %45 = and i8 %44, 3, !dbg !170
  %46 = zext i8 %45 to i64
  %47 = getelementptr inbounds [4 x i32], [4 x i32]* %42, i64 0, i64 %46, !dbg !171
  %48 = load i32, i32* %47, align 4, !dbg !171, !tbaa !147
  br label %49, !dbg !172

49:                                               ; preds = %31, %38, %41, %27
  %50 = phi i32 [ 1, %27 ], [ 3, %31 ], [ %48, %41 ], [ 2, %38 ], !dbg !124
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %14) #4, !dbg !173
  br label %51

51:                                               ; preds = %1, %49
  %52 = phi i32 [ %50, %49 ], [ 1, %1 ], !dbg !124
  ret i32 %52, !dbg !173
}

; Function Attrs: argmemonly mustprogress nofree nosync nounwind willreturn
declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #1

; Function Attrs: mustprogress nofree nosync nounwind readnone speculatable willreturn
declare i16 @llvm.bswap.i16(i16) #2

; Function Attrs: argmemonly mustprogress nofree nosync nounwind willreturn
declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #1

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare void @llvm.dbg.value(metadata, metadata, metadata) #3

attributes #0 = { nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { argmemonly mustprogress nofree nosync nounwind willreturn }
attributes #2 = { mustprogress nofree nosync nounwind readnone speculatable willreturn }
attributes #3 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #4 = { nounwind }

!llvm.dbg.cu = !{!2}
!llvm.module.flags = !{!84, !85, !86, !87}
!llvm.ident = !{!88}

!0 = !DIGlobalVariableExpression(var: !1, expr: !DIExpression())
!1 = distinct !DIGlobalVariable(name: "LICENSE", scope: !2, file: !3, line: 9, type: !82, isLocal: false, isDefinition: true)
!2 = distinct !DICompileUnit(language: DW_LANG_C99, file: !3, producer: "Debian clang version 14.0.6", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug, enums: !4, retainedTypes: !14, globals: !22, splitDebugInlining: false, nameTableKind: None)
!3 = !DIFile(filename: "site_left_alone.c", directory: ".", checksumkind: CSK_MD5, checksum: "96951ce6e6aadf590820add469313207")
!4 = !{!5}
!5 = !DICompositeType(tag: DW_TAG_enumeration_type, name: "xdp_action", file: !6, line: 6089, baseType: !7, size: 32, elements: !8)
!6 = !DIFile(filename: "/usr/include/linux/bpf.h", directory: "", checksumkind: CSK_MD5, checksum: "8ab7bf195d20e2851bf1a9e5b71245ca")
!7 = !DIBasicType(name: "unsigned int", size: 32, encoding: DW_ATE_unsigned)
!8 = !{!9, !10, !11, !12, !13}
!9 = !DIEnumerator(name: "XDP_ABORTED", value: 0)
!10 = !DIEnumerator(name: "XDP_DROP", value: 1)
!11 = !DIEnumerator(name: "XDP_PASS", value: 2)
!12 = !DIEnumerator(name: "XDP_TX", value: 3)
!13 = !DIEnumerator(name: "XDP_REDIRECT", value: 4)
!14 = !{!15, !16, !17, !20}
!15 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: null, size: 64)
!16 = !DIBasicType(name: "long", size: 64, encoding: DW_ATE_signed)
!17 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u16", file: !18, line: 24, baseType: !19)
!18 = !DIFile(filename: "/usr/include/asm-generic/int-ll64.h", directory: "", checksumkind: CSK_MD5, checksum: "b810f270733e106319b67ef512c6246e")
!19 = !DIBasicType(name: "unsigned short", size: 16, encoding: DW_ATE_unsigned)
!20 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u64", file: !18, line: 31, baseType: !21)
!21 = !DIBasicType(name: "unsigned long long", size: 64, encoding: DW_ATE_unsigned)
!22 = !{!0, !23, !43, !51, !59, !74}
!23 = !DIGlobalVariableExpression(var: !24, expr: !DIExpression())
!24 = distinct !DIGlobalVariable(name: "counters", scope: !2, file: !3, line: 11, type: !25, isLocal: false, isDefinition: true)
!25 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 11, size: 256, elements: !26)
!26 = !{!27, !33, !38, !41}
!27 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !25, file: !3, line: 11, baseType: !28, size: 64)
!28 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !29, size: 64)
!29 = !DICompositeType(tag: DW_TAG_array_type, baseType: !30, size: 32, elements: !31)
!30 = !DIBasicType(name: "int", size: 32, encoding: DW_ATE_signed)
!31 = !{!32}
!32 = !DISubrange(count: 1)
!33 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !25, file: !3, line: 11, baseType: !34, size: 64, offset: 64)
!34 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !35, size: 64)
!35 = !DICompositeType(tag: DW_TAG_array_type, baseType: !30, size: 512, elements: !36)
!36 = !{!37}
!37 = !DISubrange(count: 16)
!38 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !25, file: !3, line: 11, baseType: !39, size: 64, offset: 128)
!39 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !40, size: 64)
!40 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u32", file: !18, line: 27, baseType: !7)
!41 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !25, file: !3, line: 11, baseType: !42, size: 64, offset: 192)
!42 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !20, size: 64)
!43 = !DIGlobalVariableExpression(var: !44, expr: !DIExpression())
!44 = distinct !DIGlobalVariable(name: "unread", scope: !2, file: !3, line: 12, type: !45, isLocal: false, isDefinition: true)
!45 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 12, size: 256, elements: !46)
!46 = !{!47, !48, !49, !50}
!47 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !45, file: !3, line: 12, baseType: !28, size: 64)
!48 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !45, file: !3, line: 12, baseType: !34, size: 64, offset: 64)
!49 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !45, file: !3, line: 12, baseType: !39, size: 64, offset: 128)
!50 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !45, file: !3, line: 12, baseType: !39, size: 64, offset: 192)
!51 = !DIGlobalVariableExpression(var: !52, expr: !DIExpression())
!52 = distinct !DIGlobalVariable(name: "aligned", scope: !2, file: !3, line: 13, type: !53, isLocal: false, isDefinition: true)
!53 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 13, size: 256, elements: !54)
!54 = !{!55, !56, !57, !58}
!55 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !53, file: !3, line: 13, baseType: !28, size: 64)
!56 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !53, file: !3, line: 13, baseType: !34, size: 64, offset: 64)
!57 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !53, file: !3, line: 13, baseType: !39, size: 64, offset: 128)
!58 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !53, file: !3, line: 13, baseType: !39, size: 64, offset: 192)
!59 = !DIGlobalVariableExpression(var: !60, expr: !DIExpression())
!60 = distinct !DIGlobalVariable(name: "weighted", scope: !2, file: !3, line: 16, type: !61, isLocal: false, isDefinition: true)
!61 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 16, size: 256, elements: !62)
!62 = !{!63, !64, !65, !66}
!63 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !61, file: !3, line: 16, baseType: !28, size: 64)
!64 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !61, file: !3, line: 16, baseType: !34, size: 64, offset: 64)
!65 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !61, file: !3, line: 16, baseType: !39, size: 64, offset: 128)
!66 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !61, file: !3, line: 16, baseType: !67, size: 64, offset: 192)
!67 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !68, size: 64)
!68 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "weights", file: !3, line: 15, size: 128, elements: !69)
!69 = !{!70}
!70 = !DIDerivedType(tag: DW_TAG_member, name: "w", scope: !68, file: !3, line: 15, baseType: !71, size: 128)
!71 = !DICompositeType(tag: DW_TAG_array_type, baseType: !40, size: 128, elements: !72)
!72 = !{!73}
!73 = !DISubrange(count: 4)
!74 = !DIGlobalVariableExpression(var: !75, expr: !DIExpression())
!75 = distinct !DIGlobalVariable(name: "bpf_map_lookup_elem", scope: !2, file: !76, line: 56, type: !77, isLocal: true, isDefinition: true)
!76 = !DIFile(filename: "/usr/include/bpf/bpf_helper_defs.h", directory: "", checksumkind: CSK_MD5, checksum: "ba0039f6acc4710a5f4349e628ddfb60")
!77 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !78, size: 64)
!78 = !DISubroutineType(types: !79)
!79 = !{!15, !15, !80}
!80 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !81, size: 64)
!81 = !DIDerivedType(tag: DW_TAG_const_type, baseType: null)
!82 = !DICompositeType(tag: DW_TAG_array_type, baseType: !83, size: 32, elements: !72)
!83 = !DIBasicType(name: "char", size: 8, encoding: DW_ATE_signed_char)
!84 = !{i32 7, !"Dwarf Version", i32 5}
!85 = !{i32 2, !"Debug Info Version", i32 3}
!86 = !{i32 1, !"wchar_size", i32 4}
!87 = !{i32 7, !"frame-pointer", i32 2}
!88 = !{!"Debian clang version 14.0.6"}
!89 = distinct !DISubprogram(name: "site_left_alone", scope: !3, file: !3, line: 19, type: !90, scopeLine: 20, flags: DIFlagPrototyped | DIFlagAllCallsDescribed, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !2, retainedNodes: !101)
!90 = !DISubroutineType(types: !91)
!91 = !{!30, !92}
!92 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !93, size: 64)
!93 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "xdp_md", file: !6, line: 6100, size: 192, elements: !94)
!94 = !{!95, !96, !97, !98, !99, !100}
!95 = !DIDerivedType(tag: DW_TAG_member, name: "data", scope: !93, file: !6, line: 6101, baseType: !40, size: 32)
!96 = !DIDerivedType(tag: DW_TAG_member, name: "data_end", scope: !93, file: !6, line: 6102, baseType: !40, size: 32, offset: 32)
!97 = !DIDerivedType(tag: DW_TAG_member, name: "data_meta", scope: !93, file: !6, line: 6103, baseType: !40, size: 32, offset: 64)
!98 = !DIDerivedType(tag: DW_TAG_member, name: "ingress_ifindex", scope: !93, file: !6, line: 6105, baseType: !40, size: 32, offset: 96)
!99 = !DIDerivedType(tag: DW_TAG_member, name: "rx_queue_index", scope: !93, file: !6, line: 6106, baseType: !40, size: 32, offset: 128)
!100 = !DIDerivedType(tag: DW_TAG_member, name: "egress_ifindex", scope: !93, file: !6, line: 6108, baseType: !40, size: 32, offset: 160)
!101 = !{!102, !103, !104, !105, !119, !120, !121, !122, !123}
!102 = !DILocalVariable(name: "ctx", arg: 1, scope: !89, file: !3, line: 19, type: !92)
!103 = !DILocalVariable(name: "data", scope: !89, file: !3, line: 21, type: !15)
!104 = !DILocalVariable(name: "end", scope: !89, file: !3, line: 21, type: !15)
!105 = !DILocalVariable(name: "eth", scope: !89, file: !3, line: 22, type: !106)
!106 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !107, size: 64)
!107 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "ethhdr", file: !108, line: 173, size: 112, elements: !109)
!108 = !DIFile(filename: "/usr/include/linux/if_ether.h", directory: "", checksumkind: CSK_MD5, checksum: "163f54fb1af2e21fea410f14eb18fa76")
!109 = !{!110, !115, !116}
!110 = !DIDerivedType(tag: DW_TAG_member, name: "h_dest", scope: !107, file: !108, line: 174, baseType: !111, size: 48)
!111 = !DICompositeType(tag: DW_TAG_array_type, baseType: !112, size: 48, elements: !113)
!112 = !DIBasicType(name: "unsigned char", size: 8, encoding: DW_ATE_unsigned_char)
!113 = !{!114}
!114 = !DISubrange(count: 6)
!115 = !DIDerivedType(tag: DW_TAG_member, name: "h_source", scope: !107, file: !108, line: 175, baseType: !111, size: 48, offset: 48)
!116 = !DIDerivedType(tag: DW_TAG_member, name: "h_proto", scope: !107, file: !108, line: 176, baseType: !117, size: 16, offset: 96)
!117 = !DIDerivedType(tag: DW_TAG_typedef, name: "__be16", file: !118, line: 28, baseType: !17)
!118 = !DIFile(filename: "/usr/include/linux/types.h", directory: "", checksumkind: CSK_MD5, checksum: "a82ae197a4533c0fa7d08f3ccc99ef94")
!119 = !DILocalVariable(name: "key", scope: !89, file: !3, line: 25, type: !40)
!120 = !DILocalVariable(name: "count", scope: !89, file: !3, line: 26, type: !42)
!121 = !DILocalVariable(name: "a", scope: !89, file: !3, line: 29, type: !39)
!122 = !DILocalVariable(name: "b", scope: !89, file: !3, line: 32, type: !39)
!123 = !DILocalVariable(name: "w", scope: !89, file: !3, line: 35, type: !67)
!124 = !DILocation(line: 0, scope: !89)
!125 = !DILocation(line: 21, column: 34, scope: !89)
!126 = !{!127, !128, i64 0}
!127 = !{!"xdp_md", !128, i64 0, !128, i64 4, !128, i64 8, !128, i64 12, !128, i64 16, !128, i64 20}
!128 = !{!"int", !129, i64 0}
!129 = !{!"omnipotent char", !130, i64 0}
!130 = !{!"Simple C/C++ TBAA"}
!131 = !DILocation(line: 21, column: 23, scope: !89)
!132 = !DILocation(line: 21, column: 66, scope: !89)
!133 = !{!127, !128, i64 4}
!134 = !DILocation(line: 21, column: 55, scope: !89)
!135 = !DILocation(line: 21, column: 47, scope: !89)
!136 = !DILocation(line: 22, column: 23, scope: !89)
!137 = !DILocation(line: 23, column: 6, scope: !138)
!138 = distinct !DILexicalBlock(scope: !89, file: !3, line: 23, column: 6)
!139 = !DILocation(line: 23, column: 24, scope: !138)
!140 = !DILocation(line: 23, column: 6, scope: !89)
!141 = !DILocation(line: 25, column: 2, scope: !89)
!142 = !DILocation(line: 25, column: 14, scope: !89)
!143 = !{!144, !145, i64 12}
!144 = !{!"ethhdr", !129, i64 0, !129, i64 6, !145, i64 12}
!145 = !{!"short", !129, i64 0}
!146 = !DILocation(line: 25, column: 8, scope: !89)
!147 = !{!128, !128, i64 0}
!148 = !DILocation(line: 26, column: 17, scope: !89)
!149 = !DILocation(line: 27, column: 6, scope: !150)
!150 = distinct !DILexicalBlock(scope: !89, file: !3, line: 27, column: 6)
!151 = !DILocation(line: 27, column: 6, scope: !89)
!152 = !DILocation(line: 28, column: 3, scope: !150)
!153 = !DILocation(line: 29, column: 13, scope: !89)
!154 = !DILocation(line: 30, column: 6, scope: !155)
!155 = distinct !DILexicalBlock(scope: !89, file: !3, line: 30, column: 6)
!156 = !DILocation(line: 30, column: 8, scope: !155)
!157 = !DILocation(line: 30, column: 11, scope: !155)
!158 = !DILocation(line: 30, column: 6, scope: !89)
!159 = !DILocation(line: 32, column: 13, scope: !89)
!160 = !DILocation(line: 33, column: 6, scope: !161)
!161 = distinct !DILexicalBlock(scope: !89, file: !3, line: 33, column: 6)
!162 = !DILocation(line: 33, column: 8, scope: !161)
!163 = !DILocation(line: 35, column: 22, scope: !89)
!164 = !DILocation(line: 36, column: 6, scope: !165)
!165 = distinct !DILexicalBlock(scope: !89, file: !3, line: 36, column: 6)
!166 = !DILocation(line: 36, column: 6, scope: !89)
!167 = !DILocation(line: 37, column: 13, scope: !165)
!168 = !DILocation(line: 37, column: 15, scope: !165)
!169 = !{!129, !129, i64 0}
!170 = !DILocation(line: 37, column: 30, scope: !165)
!171 = !DILocation(line: 37, column: 10, scope: !165)
!172 = !DILocation(line: 37, column: 3, scope: !165)
!173 = !DILocation(line: 39, column: 1, scope: !89)
