target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

%0 = type { i32, i32, i32, i32, i32, i32 }
%1 = type { [6 x i8], [6 x i8], i16 }
%struct.anon.1 = type { [11 x i32]*, [1024 x i32]*, [1 x i32]*, i64*, i32* }
%struct.anon = type { [6 x i32]*, [1 x i32]*, i32*, %struct.kecleon_prof_cpu* }
%struct.kecleon_prof_cpu = type { i64, i64 }
%struct.anon.0 = type { [6 x i32]*, [1 x i32]*, i32*, %struct.kecleon_prof_counters* }
%struct.kecleon_prof_counters = type { [4 x i64] }
%struct.anon.1.0 = type { [6 x i32]*, [1 x i32]*, i32*, %struct.kecleon_prof_samples* }
%struct.kecleon_prof_samples = type { [512 x %struct.kecleon_prof_sample] }
%struct.kecleon_prof_sample = type { i64, i32, i32, [32 x i8] }
%struct.anon.2 = type { [6 x i32]*, [32 x i32]*, i32*, %struct.kecleon_prof_packet* }
%struct.kecleon_prof_packet = type { i64, i32, i32, [256 x i8] }

@llvm.compiler.used = appending global [7 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (%struct.anon.1* @routes to i8*), i8* bitcast (i32 (%0*)* @sampling_gate to i8*), i8* bitcast (%struct.anon.0* @kecleon_prof_branches to i8*), i8* bitcast (%struct.anon.2* @kecleon_prof_packets to i8*), i8* bitcast (%struct.anon.1.0* @kecleon_prof_ring to i8*), i8* bitcast (%struct.anon* @kecleon_prof_state to i8*)], section "llvm.metadata"
@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1
@routes = dso_local global %struct.anon.1 zeroinitializer, section ".maps", align 8
@kecleon_prof_state = dso_local global %struct.anon zeroinitializer, section ".maps", align 8
@kecleon_prof_branches = dso_local global %struct.anon.0 zeroinitializer, section ".maps", align 8
@kecleon_prof_ring = dso_local global %struct.anon.1.0 zeroinitializer, section ".maps", align 8
@kecleon_prof_packets = dso_local global %struct.anon.2 zeroinitializer, section ".maps", align 8

define dso_local i32 @sampling_gate(%0* nocapture noundef readonly %0) #0 section "xdp" {
kecleon.profile:
  %1 = alloca i64, align 8
  %kecleon.sampled1 = call i32 @kecleon_prof_enter()
  %2 = icmp eq i32 %kecleon.sampled1, 2
  br i1 %2, label %kecleon.sampled, label %3, !prof !{!"branch_weights", i32 1, i32 15}

3:
  %4 = getelementptr inbounds %0, %0* %0, i64 0, i32 0
  %5 = load i32, i32* %4, align 4, !tbaa
  %6 = zext i32 %5 to i64
  %7 = getelementptr inbounds %0, %0* %0, i64 0, i32 1
  %8 = load i32, i32* %7, align 4, !tbaa
  %9 = zext i32 %8 to i64
  %10 = inttoptr i64 %9 to i8*
  %11 = inttoptr i64 %6 to %1*
  %12 = getelementptr inbounds %1, %1* %11, i64 1, i32 0, i64 20
  %13 = icmp ugt i8* %12, %10
  br i1 %13, label %29, label %14, !kecleon.branch

14:
  %15 = getelementptr inbounds %1, %1* %11, i64 0, i32 2
  %16 = load i16, i16* %15, align 1, !tbaa
  %17 = icmp eq i16 %16, 8
  br i1 %17, label %18, label %29, !kecleon.branch

18:
  %19 = bitcast i64* %1 to i8*
  call void @llvm.lifetime.start.p0i8(i64 8, i8* nonnull %19) #8
  %20 = getelementptr inbounds %1, %1* %11, i64 1, i32 0, i64 16
  %21 = bitcast i8* %20 to i32*
  %22 = load i32, i32* %21, align 4, !tbaa
  %23 = zext i32 %22 to i64
  %24 = shl nuw i64 %23, 32
  %25 = or i64 %24, 32
  store i64 %25, i64* %1, align 8, !tbaa
  %26 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.1* @routes to i8*), i8* noundef nonnull %19) #8, !kecleon.site, !kecleon.key
  %27 = icmp eq i8* %26, null
  %28 = select i1 %27, i32 1, i32 3
  call void @llvm.lifetime.end.p0i8(i64 8, i8* nonnull %19) #8
  br label %29

29:
  %30 = phi i32 [ %28, %18 ], [ 2, %14 ], [ 2, %3 ]
  ret i32 %30

kecleon.sampled:
  %31 = bitcast %0* %0 to i8*
  call void @kecleon_prof_packet(i8* %31)
  %32 = call i32 @sampling_gate.kecleon.profiled(%0* %0)
  ret i32 %32
}

declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #1

declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #1

define internal i32 @sampling_gate.kecleon.profiled(%0* nocapture noundef readonly %0) #3 section ".text" {
  %2 = alloca i64, align 8
  %3 = call i64* @kecleon_prof_counter_slot(i32 0)
  %4 = call %struct.kecleon_prof_cpu* @kecleon_prof_this_cpu()
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
  %15 = zext i1 %14 to i32
  call void @kecleon_prof_branch(i64* %3, i32 0, i32 %15)
  br i1 %14, label %32, label %16, !kecleon.branch

16:
  %17 = getelementptr inbounds %1, %1* %12, i64 0, i32 2
  %18 = load i16, i16* %17, align 1, !tbaa
  %19 = icmp eq i16 %18, 8
  %20 = zext i1 %19 to i32
  call void @kecleon_prof_branch(i64* %3, i32 2, i32 %20)
  br i1 %19, label %21, label %32, !kecleon.branch

21:
  %22 = bitcast i64* %2 to i8*
  call void @llvm.lifetime.start.p0i8(i64 8, i8* nonnull %22) #8
  %23 = getelementptr inbounds %1, %1* %12, i64 1, i32 0, i64 16
  %24 = bitcast i8* %23 to i32*
  %25 = load i32, i32* %24, align 4, !tbaa
  %26 = zext i32 %25 to i64
  %27 = shl nuw i64 %26, 32
  %28 = or i64 %27, 32
  store i64 %28, i64* %2, align 8, !tbaa
  call void @kecleon_prof_lookup(%struct.kecleon_prof_cpu* %4, i32 0, i8* %22, i32 8)
  %29 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.1* @routes to i8*), i8* noundef nonnull %22) #8, !kecleon.site, !kecleon.key
  %30 = icmp eq i8* %29, null
  %31 = select i1 %30, i32 1, i32 3
  call void @llvm.lifetime.end.p0i8(i64 8, i8* nonnull %22) #8
  br label %32

32:
  %33 = phi i32 [ %31, %21 ], [ 2, %16 ], [ 2, %1 ]
  ret i32 %33
}

define internal i64* @kecleon_prof_counter_slot(i32 noundef %0) local_unnamed_addr #4 {
  ; profile_prelude.bpf.c
}

define internal %struct.kecleon_prof_cpu* @kecleon_prof_this_cpu() local_unnamed_addr #4 {
  ; profile_prelude.bpf.c
}

define internal void @kecleon_prof_branch(i64* noundef %0, i32 noundef %1, i32 noundef %2) local_unnamed_addr #5 {
  ; profile_prelude.bpf.c
}

define internal void @kecleon_prof_lookup(%struct.kecleon_prof_cpu* noundef %0, i32 noundef %1, i8* nocapture noundef readonly %2, i32 noundef %3) local_unnamed_addr #4 {
  ; profile_prelude.bpf.c
}

declare void @llvm.assume(i1 noundef) #6

declare void @llvm.memcpy.p0i8.p0i8.i64(i8* noalias nocapture writeonly, i8* noalias nocapture readonly, i64, i1 immarg) #7

define internal i32 @kecleon_prof_enter() local_unnamed_addr #4 {
  ; profile_prelude.bpf.c
}

define internal i32 @kecleon_prof_keys_sampled() local_unnamed_addr #4 {
  ; profile_prelude.bpf.c
}

define internal void @kecleon_prof_packet(i8* noundef %0) local_unnamed_addr #4 {
  ; profile_prelude.bpf.c
}

define internal void @kecleon_prof_key(i32 noundef %0, i32 noundef %1, i8* nocapture noundef readonly %2, i32 noundef %3) local_unnamed_addr #4 {
  ; profile_prelude.bpf.c
}

attributes #0 = { nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { argmemonly nofree nosync nounwind willreturn }
attributes #2 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #3 = { noinline nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #4 = { alwaysinline nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #5 = { alwaysinline nofree nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #6 = { inaccessiblememonly nofree nosync nounwind willreturn }
attributes #7 = { argmemonly nofree nounwind willreturn }
attributes #8 = { nounwind }
