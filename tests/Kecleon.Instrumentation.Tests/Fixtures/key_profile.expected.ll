target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

%0 = type { i32, i32, i32, i32, i32, i32 }
%1 = type { [6 x i8], [6 x i8], i16 }
%struct.anon.1 = type { [2 x i32]*, [4 x i32]*, i32*, i64* }
%struct.anon.2 = type { [1 x i32]*, [65536 x i32]*, i32*, i32* }
%struct.anon = type { [6 x i32]*, [1 x i32]*, i32*, %struct.kecleon_prof_cpu* }
%struct.kecleon_prof_cpu = type { i64, i64 }
%struct.anon.0 = type { [6 x i32]*, [1 x i32]*, i32*, %struct.kecleon_prof_counters* }
%struct.kecleon_prof_counters = type { [8 x i64] }
%struct.anon.1.0 = type { [6 x i32]*, [1 x i32]*, i32*, %struct.kecleon_prof_samples* }
%struct.kecleon_prof_samples = type { [512 x %struct.kecleon_prof_sample] }
%struct.kecleon_prof_sample = type { i64, i32, i32, [32 x i8] }
%struct.anon.2.1 = type { [6 x i32]*, [32 x i32]*, i32*, %struct.kecleon_prof_packet* }
%struct.kecleon_prof_packet = type { i64, i32, i32, [256 x i8] }

@llvm.compiler.used = appending global [8 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (%struct.anon.2* @hosts to i8*), i8* bitcast (i32 (%0*)* @key_profile to i8*), i8* bitcast (%struct.anon.1* @stats to i8*), i8* bitcast (%struct.anon.0* @kecleon_prof_branches to i8*), i8* bitcast (%struct.anon.2.1* @kecleon_prof_packets to i8*), i8* bitcast (%struct.anon.1.0* @kecleon_prof_ring to i8*), i8* bitcast (%struct.anon* @kecleon_prof_state to i8*)], section "llvm.metadata"
@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1
@stats = dso_local global %struct.anon.1 zeroinitializer, section ".maps", align 8
@hosts = dso_local global %struct.anon.2 zeroinitializer, section ".maps", align 8
@kecleon_prof_state = dso_local global %struct.anon zeroinitializer, section ".maps", align 8
@kecleon_prof_branches = dso_local global %struct.anon.0 zeroinitializer, section ".maps", align 8
@kecleon_prof_ring = dso_local global %struct.anon.1.0 zeroinitializer, section ".maps", align 8
@kecleon_prof_packets = dso_local global %struct.anon.2.1 zeroinitializer, section ".maps", align 8

define dso_local i32 @key_profile(%0* nocapture noundef readonly %0) #0 section "xdp" {
kecleon.profile:
  %1 = alloca i32, align 4
  %2 = alloca i32, align 4
  %kecleon.keys = alloca i32, align 4
  %kecleon.sampled1 = call i32 @kecleon_prof_enter()
  store volatile i32 %kecleon.sampled1, i32* %kecleon.keys, align 4
  %3 = icmp eq i32 %kecleon.sampled1, 2
  br i1 %3, label %kecleon.sampled, label %4, !prof !{!"branch_weights", i32 1, i32 255}

4:
  %5 = getelementptr inbounds %0, %0* %0, i64 0, i32 0
  %6 = load i32, i32* %5, align 4, !tbaa
  %7 = zext i32 %6 to i64
  %8 = getelementptr inbounds %0, %0* %0, i64 0, i32 1
  %9 = load i32, i32* %8, align 4, !tbaa
  %10 = zext i32 %9 to i64
  %11 = inttoptr i64 %10 to i8*
  %12 = inttoptr i64 %7 to %1*
  %13 = getelementptr inbounds %1, %1* %12, i64 1, i32 0, i64 20
  %14 = icmp ugt i8* %13, %11
  br i1 %14, label %38, label %15, !kecleon.branch

15:
  %16 = getelementptr inbounds %1, %1* %12, i64 0, i32 2
  %17 = load i16, i16* %16, align 1, !tbaa
  %18 = icmp eq i16 %17, 8
  br i1 %18, label %19, label %38, !kecleon.branch

19:
  %20 = bitcast i32* %1 to i8*
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %20) #7
  store i32 0, i32* %1, align 4, !tbaa
  %21 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.1* @stats to i8*), i8* noundef nonnull %20) #7
  %22 = icmp eq i8* %21, null
  br i1 %22, label %26, label %23, !kecleon.branch

23:
  %24 = bitcast i8* %21 to i64*
  %25 = atomicrmw add i64* %24, i64 1 seq_cst, align 8
  br label %26

26:
  %27 = bitcast i32* %2 to i8*
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %27) #7
  %28 = getelementptr inbounds %1, %1* %12, i64 1, i32 0, i64 12
  %29 = bitcast i8* %28 to i32*
  %30 = load i32, i32* %29, align 4, !tbaa
  store i32 %30, i32* %2, align 4, !tbaa
  %kecleon.keys2 = load volatile i32, i32* %kecleon.keys, align 4
  call void @kecleon_prof_key(i32 %kecleon.keys2, i32 1, i8* %27, i32 4)
  %31 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.2* @hosts to i8*), i8* noundef nonnull %27) #7, !kecleon.site, !kecleon.key
  %32 = icmp eq i8* %31, null
  br i1 %32, label %36, label %33, !kecleon.branch

33:
  %34 = bitcast i8* %31 to i32*
  %35 = load i32, i32* %34, align 4, !tbaa
  br label %36

36:
  %37 = phi i32 [ %35, %33 ], [ 2, %26 ]
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %27) #7
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %20) #7
  br label %38

38:
  %39 = phi i32 [ %37, %36 ], [ 2, %15 ], [ 2, %4 ]
  ret i32 %39

kecleon.sampled:
  %40 = bitcast %0* %0 to i8*
  call void @kecleon_prof_packet(i8* %40)
  %41 = call i32 @key_profile.kecleon.profiled(%0* %0)
  ret i32 %41
}

declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #1

declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #1

define internal i32 @key_profile.kecleon.profiled(%0* nocapture noundef readonly %0) #3 section ".text" {
  %2 = alloca i32, align 4
  %3 = alloca i32, align 4
  %4 = call i64* @kecleon_prof_counter_slot(i32 0)
  %5 = call %struct.kecleon_prof_cpu* @kecleon_prof_this_cpu()
  %6 = getelementptr inbounds %0, %0* %0, i64 0, i32 0
  %7 = load i32, i32* %6, align 4, !tbaa
  %8 = zext i32 %7 to i64
  %9 = getelementptr inbounds %0, %0* %0, i64 0, i32 1
  %10 = load i32, i32* %9, align 4, !tbaa
  %11 = zext i32 %10 to i64
  %12 = inttoptr i64 %11 to i8*
  %13 = inttoptr i64 %8 to %1*
  %14 = getelementptr inbounds %1, %1* %13, i64 1, i32 0, i64 20
  %15 = icmp ugt i8* %14, %12
  %16 = zext i1 %15 to i32
  call void @kecleon_prof_branch(i64* %4, i32 0, i32 %16)
  br i1 %15, label %43, label %17, !kecleon.branch

17:
  %18 = getelementptr inbounds %1, %1* %13, i64 0, i32 2
  %19 = load i16, i16* %18, align 1, !tbaa
  %20 = icmp eq i16 %19, 8
  %21 = zext i1 %20 to i32
  call void @kecleon_prof_branch(i64* %4, i32 2, i32 %21)
  br i1 %20, label %22, label %43, !kecleon.branch

22:
  %23 = bitcast i32* %2 to i8*
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %23) #7
  store i32 0, i32* %2, align 4, !tbaa
  %24 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.1* @stats to i8*), i8* noundef nonnull %23) #7
  %25 = icmp eq i8* %24, null
  %26 = zext i1 %25 to i32
  call void @kecleon_prof_branch(i64* %4, i32 4, i32 %26)
  br i1 %25, label %30, label %27, !kecleon.branch

27:
  %28 = bitcast i8* %24 to i64*
  %29 = atomicrmw add i64* %28, i64 1 seq_cst, align 8
  br label %30

30:
  %31 = bitcast i32* %3 to i8*
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %31) #7
  %32 = getelementptr inbounds %1, %1* %13, i64 1, i32 0, i64 12
  %33 = bitcast i8* %32 to i32*
  %34 = load i32, i32* %33, align 4, !tbaa
  store i32 %34, i32* %3, align 4, !tbaa
  call void @kecleon_prof_lookup(%struct.kecleon_prof_cpu* %5, i32 1, i8* %31, i32 4)
  %35 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.2* @hosts to i8*), i8* noundef nonnull %31) #7, !kecleon.site, !kecleon.key
  %36 = icmp eq i8* %35, null
  %37 = zext i1 %36 to i32
  call void @kecleon_prof_branch(i64* %4, i32 6, i32 %37)
  br i1 %36, label %41, label %38, !kecleon.branch

38:
  %39 = bitcast i8* %35 to i32*
  %40 = load i32, i32* %39, align 4, !tbaa
  br label %41

41:
  %42 = phi i32 [ %40, %38 ], [ 2, %30 ]
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %31) #7
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %23) #7
  br label %43

43:
  %44 = phi i32 [ %42, %41 ], [ 2, %17 ], [ 2, %1 ]
  ret i32 %44
}

define internal i64* @kecleon_prof_counter_slot(i32 noundef %0) local_unnamed_addr #3 {
  ; profile_prelude.bpf.c
}

define internal %struct.kecleon_prof_cpu* @kecleon_prof_this_cpu() local_unnamed_addr #3 {
  ; profile_prelude.bpf.c
}

define internal void @kecleon_prof_branch(i64* noundef %0, i32 noundef %1, i32 noundef %2) local_unnamed_addr #4 {
  ; profile_prelude.bpf.c
}

define internal void @kecleon_prof_lookup(%struct.kecleon_prof_cpu* noundef %0, i32 noundef %1, i8* nocapture noundef readonly %2, i32 noundef %3) local_unnamed_addr #3 {
  ; profile_prelude.bpf.c
}

declare void @llvm.assume(i1 noundef) #5

declare void @llvm.memcpy.p0i8.p0i8.i64(i8* noalias nocapture writeonly, i8* noalias nocapture readonly, i64, i1 immarg) #6

define internal i32 @kecleon_prof_enter() local_unnamed_addr #3 {
  ; profile_prelude.bpf.c
}

define internal i32 @kecleon_prof_keys_sampled() local_unnamed_addr #3 {
  ; profile_prelude.bpf.c
}

define internal void @kecleon_prof_packet(i8* noundef %0) local_unnamed_addr #3 {
  ; profile_prelude.bpf.c
}

define internal void @kecleon_prof_key(i32 noundef %0, i32 noundef %1, i8* nocapture noundef readonly %2, i32 noundef %3) local_unnamed_addr #3 {
  ; profile_prelude.bpf.c
}

attributes #0 = { nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { argmemonly nofree nosync nounwind willreturn }
attributes #2 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #3 = { alwaysinline nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #4 = { alwaysinline nofree nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #5 = { inaccessiblememonly nofree nosync nounwind willreturn }
attributes #6 = { argmemonly nofree nounwind willreturn }
attributes #7 = { nounwind }
